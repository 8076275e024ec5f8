using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Issues;
using Newsletter.Tests.Infrastructure;
using static Newsletter.Tests.Authoring.AuthoringTestApp;

namespace Newsletter.Tests.Authoring;

/// <summary>Who may do what on the author's pages: ops look, admins act, nobody acts without the page's token or a session.</summary>
public sealed class IssuePagesAccessTests(AuthoringTestApp app) : IClassFixture<AuthoringTestApp>
{
    private IssueStore Issues => app.Services.GetRequiredService<IssueStore>();

    [Fact]
    public async Task WithoutASessionEveryPageRedirectsToSignIn()
    {
        var id = await StoredIssueAsync();
        using var anonymous = app.CreateClient();

        foreach (var page in Pages(id).Append("/admin"))
        {
            var response = await anonymous.GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{page}: {response.StatusCode}");
            Assert.StartsWith("/login?ReturnUrl=", response.Headers.Location!.PathAndQuery);
        }
    }

    [Fact]
    public async Task WithoutASessionEveryActionRedirectsToSignInAndChangesNothing()
    {
        var id = await StoredIssueAsync();
        var before = await SnapshotAsync();
        using var anonymous = app.CreateClient();

        foreach (var action in Actions(id))
        {
            var response = await anonymous.PostAsync(action, new FormUrlEncodedContent(Fields(id)));
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{action}: {response.StatusCode}");
            Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery);
        }

        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task OpsSeeEveryPageReadOnly()
    {
        var id = await StoredIssueAsync();
        using var ops = await app.OpsAsync();

        foreach (var page in Pages(id))
        {
            var response = await ops.GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{page}: {response.StatusCode}");
        }

        var editor = await ops.GetStringAsync($"/admin/issues/{id}");
        Assert.Contains("you can look at everything here but change nothing", editor);
        Assert.Contains("readonly", editor);
        Assert.DoesNotContain("issue-editor.js", editor);
        Assert.DoesNotContain("/admin/issues/new", await ops.GetStringAsync("/admin/issues"));
    }

    [Fact]
    public async Task OnlyAnAdminPreviewsASubscribersOwnCopyWithTheirSignedLinks()
    {
        var id = await StoredIssueAsync();
        var audience = new TestAudience(app.ConnectionString);
        var reader = await audience.SubscribeAsync($"private-{Guid.NewGuid():N}@example.org", await audience.CreateListAsync($"as-{Guid.NewGuid():N}"[..12]),
            name: "Priya Private");
        using var ops = await app.OpsAsync();
        using var admin = await app.AdminAsync();

        var asOps = await ops.GetStringAsync($"/admin/issues/{id}/preview?as={reader}");
        var editorAsOps = await ops.GetStringAsync($"/admin/issues/{id}?as={reader}");
        var asAdmin = await admin.GetStringAsync($"/admin/issues/{id}/preview?as={reader}");

        Assert.DoesNotContain("Priya", asOps);
        Assert.Contains("Hi Sam,", asOps);
        Assert.Contains("Only an admin previews a subscriber", editorAsOps);
        Assert.DoesNotContain("Priya", editorAsOps);
        Assert.Contains("Hi Priya Private,", asAdmin);
    }

    [Fact]
    public async Task OpsGetForbiddenForEveryActionAndNothingChanges()
    {
        var id = await StoredIssueAsync();
        var before = await SnapshotAsync();
        using var ops = await app.OpsAsync();

        foreach (var action in Actions(id))
        {
            // With the token of a page ops were shown: only the role stands in the way.
            var response = await PostFormAsync(ops, $"/admin/issues/{id}", action, Fields(id));
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{action}: {response.StatusCode}");
        }

        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task AdminPostWithoutTheAntiforgeryTokenIsRefusedAndChangesNothing()
    {
        var id = await StoredIssueAsync();
        var before = await SnapshotAsync();
        using var admin = await app.AdminAsync();

        foreach (var action in Actions(id))
        {
            var response = await PostFormAsync(admin, $"/admin/issues/{id}", action, Fields(id), withToken: false);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{action}: {response.StatusCode}");
        }

        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task EveryFormCarriesTheAntiforgeryToken()
    {
        var id = await StoredIssueAsync();
        using var admin = await app.AdminAsync();

        foreach (var page in Pages(id).Where(p => !p.EndsWith("/preview", StringComparison.Ordinal)))
        {
            var html = await admin.GetStringAsync(page);
            var posts = System.Text.RegularExpressions.Regex.Matches(html, "<form[^>]*method=\"post\"[^>]*>(.*?)</form>",
                System.Text.RegularExpressions.RegexOptions.Singleline);
            Assert.NotEmpty(posts);
            Assert.All(posts, form => Assert.Matches(Infrastructure.TestApp.AntiforgeryField(), form.Value));
        }
    }

    private async Task<long> StoredIssueAsync() =>
        (await app.Services.GetRequiredService<IssueLibrary>().CreateIssueAsync(IssueText(NewSlug()), "test")).Id;

    private static string[] Pages(long id) =>
        ["/admin/issues", "/admin/issues?state=draft", "/admin/issues/new", $"/admin/issues/{id}", $"/admin/issues/{id}?tab=text",
            $"/admin/issues/{id}/preview"];

    private static string[] Actions(long id) =>
        ["/admin/issues", $"/admin/issues/{id}", $"/admin/issues/{id}/ready", "/admin/issues/preview", "/admin/issues/preflight"];

    private static Dictionary<string, string> Fields(long id) => new() { ["source"] = IssueText($"changed-{id}", "Changed") };

    /// <summary>Every issue as stored: slug, title, source and readiness.</summary>
    private Task<string> SnapshotAsync() => app.ScalarAsync<string>(
        "SELECT coalesce(string_agg(concat_ws('|', id, slug, title, md5(source), ready_at IS NOT NULL, updated_at), ';' ORDER BY id), '') FROM issues");
}
