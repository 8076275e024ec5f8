using System.Net;
using System.Text.RegularExpressions;
using static Newsletter.Tests.Authoring.AuthoringTestApp;

namespace Newsletter.Tests.Authoring;

/// <summary>
/// Who may do what on the subscriber pages: ops look but neither act nor download a person's data, admins act, nobody
/// acts without the page's token or a session.
/// </summary>
public sealed class SubscriberPagesAccessTests(AuthoringTestApp app) : IClassFixture<AuthoringTestApp>
{
    [Fact]
    public async Task WithoutASessionEveryPageRedirectsToSignIn()
    {
        var person = await SubscriberPagesTests.PersonAsync(app);
        using var anonymous = app.CreateClient();

        foreach (var page in Pages(person).Append($"/admin/subscribers/{person.Id}/data.json"))
        {
            var response = await anonymous.GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{page}: {response.StatusCode}");
            Assert.StartsWith("/login?ReturnUrl=", response.Headers.Location!.PathAndQuery);
        }
    }

    [Fact]
    public async Task OpsSeeThePagesReadOnlyButNotThePersonsData()
    {
        var person = await SubscriberPagesTests.PersonAsync(app);
        using var ops = await app.OpsAsync();

        foreach (var page in Pages(person))
        {
            var response = await ops.GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{page}: {response.StatusCode}");
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains("you can look at everything here but change nothing", html);
            // Every form that posts, but signing out, is disabled: its fieldset or its button.
            var posts = Regex.Matches(html, "<form[^>]*method=\"post\".*?</form>", RegexOptions.Singleline)
                .Select(form => form.Value)
                .Where(form => !form.Contains("action=\"/logout\""))
                .ToList();
            Assert.All(posts, form => Assert.Matches("<fieldset disabled>|<button[^>]*disabled", form));
            Assert.DoesNotContain("data.json", html);
            // The client addresses in the consent trail are personal data, like the download.
            Assert.DoesNotContain("203.0.113.9", html);
        }

        var data = await ops.GetAsync($"/admin/subscribers/{person.Id}/data.json");
        Assert.Equal(HttpStatusCode.Forbidden, data.StatusCode);
        Assert.DoesNotContain(person.Email, await data.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OpsGetForbiddenForEveryActionAndNothingChanges()
    {
        var person = await SubscriberPagesTests.PersonAsync(app);
        var before = await SnapshotAsync(app);
        using var ops = await app.OpsAsync();

        foreach (var action in Actions(person))
        {
            // With the token of a page ops were shown: only the role stands in the way.
            var response = await PostFormAsync(ops, $"/admin/subscribers/{person.Id}", action, Fields(person));
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{action}: {response.StatusCode}");
        }

        Assert.Equal(before, await SnapshotAsync(app));
    }

    [Fact]
    public async Task AdminPostWithoutTheAntiforgeryTokenIsRefusedAndChangesNothing()
    {
        var person = await SubscriberPagesTests.PersonAsync(app);
        var before = await SnapshotAsync(app);
        using var admin = await app.AdminAsync();

        foreach (var action in Actions(person))
        {
            var response = await PostFormAsync(admin, $"/admin/subscribers/{person.Id}", action, Fields(person), withToken: false);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{action}: {response.StatusCode}");
        }

        Assert.Equal(before, await SnapshotAsync(app));
    }

    [Fact]
    public async Task EveryFormCarriesTheAntiforgeryToken()
    {
        var person = await SubscriberPagesTests.PersonAsync(app);
        using var admin = await app.AdminAsync();

        var html = await admin.GetStringAsync($"/admin/subscribers/{person.Id}");
        var posts = Regex.Matches(html, "<form[^>]*method=\"post\"[^>]*>(.*?)</form>", RegexOptions.Singleline);
        // Sign out, unsubscribe from each of the two lists, from all, suppress, erase.
        Assert.Equal(6, posts.Count);
        Assert.All(posts, form => Assert.Matches(Infrastructure.TestApp.AntiforgeryField(), form.Value));
    }

    /// <summary>Every subscriber, subscription, suppression, consent event and erased hash, counted.</summary>
    internal static Task<string> SnapshotAsync(AuthoringTestApp app) => app.ScalarAsync<string>("""
        SELECT concat_ws('|',
            (SELECT count(*) FROM subscribers),
            (SELECT coalesce(string_agg(concat_ws(':', list_id, subscriber_id, status), ';' ORDER BY list_id, subscriber_id), '') FROM subscriptions),
            (SELECT count(*) FROM suppressions),
            (SELECT count(*) FROM consent_events),
            (SELECT count(*) FROM erased_addresses))
        """);

    private static string[] Pages(SubscriberPagesTests.Person person) =>
        ["/admin/subscribers", $"/admin/subscribers?q={person.Slug}", $"/admin/subscribers/{person.Id}"];

    private static string[] Actions(SubscriberPagesTests.Person person) =>
    [
        $"/admin/subscribers/{person.Id}/unsubscribe", $"/admin/subscribers/{person.Id}/unsubscribe-all",
        $"/admin/subscribers/{person.Id}/suppress", $"/admin/subscribers/{person.Id}/erase",
    ];

    private static Dictionary<string, string> Fields(SubscriberPagesTests.Person person) =>
        new() { ["list"] = person.Slug, ["reason"] = "should not stay", ["confirm"] = "erase" };
}
