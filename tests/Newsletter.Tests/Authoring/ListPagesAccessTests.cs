using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Subscribers;
using static Newsletter.Tests.Authoring.AuthoringTestApp;

namespace Newsletter.Tests.Authoring;

/// <summary>Who may do what on the lists pages: ops look (and download), admins act, nobody acts without the page's token or a session.</summary>
public sealed class ListPagesAccessTests(AuthoringTestApp app) : IClassFixture<AuthoringTestApp>
{
    [Fact]
    public async Task WithoutASessionEveryPageRedirectsToSignIn()
    {
        var (slug, import) = await ListWithImportAsync();
        using var anonymous = app.CreateClient();

        foreach (var page in Pages(slug, import))
        {
            var response = await anonymous.GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{page}: {response.StatusCode}");
            Assert.StartsWith("/login?ReturnUrl=", response.Headers.Location!.PathAndQuery);
        }
    }

    [Fact]
    public async Task OpsSeeEveryPageReadOnly()
    {
        var (slug, import) = await ListWithImportAsync();
        using var ops = await app.OpsAsync();

        foreach (var page in Pages(slug, import))
        {
            var response = await ops.GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{page}: {response.StatusCode}");
        }

        foreach (var page in new[] { "/admin/lists", $"/admin/lists/{slug}/import" })
        {
            var html = await ops.GetStringAsync(page);
            Assert.Contains("you can look at everything here but change nothing", html);
            Assert.Contains("<fieldset disabled>", html);
        }
    }

    [Fact]
    public async Task OpsGetForbiddenForEveryActionAndNothingChanges()
    {
        var (slug, _) = await ListWithImportAsync();
        var before = await SnapshotAsync();
        using var ops = await app.OpsAsync();

        foreach (var action in Actions(slug))
        {
            // With the token of a page ops were shown: only the role stands in the way.
            var response = await PostFormAsync(ops, "/admin/lists", action, Fields(slug));
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{action}: {response.StatusCode}");
        }
        var token = await FormTokenAsync(ops, $"/admin/lists/{slug}/import");
        using var upload = new MultipartFormDataContent
        {
            { new StringContent(token.Value), token.Key },
            { new ByteArrayContent("email\nops-upload@example.com\n"u8.ToArray()), "file", "people.csv" },
        };
        Assert.Equal(HttpStatusCode.Forbidden, (await ops.PostAsync($"/admin/lists/{slug}/import", upload)).StatusCode);

        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task AdminPostWithoutTheAntiforgeryTokenIsRefusedAndChangesNothing()
    {
        var (slug, _) = await ListWithImportAsync();
        var before = await SnapshotAsync();
        using var admin = await app.AdminAsync();

        foreach (var action in Actions(slug))
        {
            var response = await PostFormAsync(admin, "/admin/lists", action, Fields(slug), withToken: false);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{action}: {response.StatusCode}");
        }
        using var upload = new MultipartFormDataContent
        {
            { new ByteArrayContent("email\nno-token@example.com\n"u8.ToArray()), "file", "people.csv" },
        };
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsync($"/admin/lists/{slug}/import", upload)).StatusCode);

        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task EveryFormCarriesTheAntiforgeryToken()
    {
        var (slug, _) = await ListWithImportAsync();
        using var admin = await app.AdminAsync();

        foreach (var page in new[] { "/admin/lists", $"/admin/lists/{slug}/import" })
        {
            var html = await admin.GetStringAsync(page);
            var posts = Regex.Matches(html, "<form[^>]*method=\"post\"[^>]*>(.*?)</form>", RegexOptions.Singleline);
            Assert.NotEmpty(posts);
            Assert.All(posts, form => Assert.Matches(Infrastructure.TestApp.AntiforgeryField(), form.Value));
        }
    }

    /// <summary>A list with one finished import, so every page of the lists has something to show.</summary>
    private async Task<(string Slug, long Import)> ListWithImportAsync()
    {
        var slug = $"acc-{Guid.NewGuid():N}"[..14];
        var listId = await app.CreateListAsync(slug);
        var imports = app.Services.GetRequiredService<ListImportStore>();
        var id = await imports.AddAsync(listId, "people.csv", false, new MemoryStream("email\n"u8.ToArray()), 6);
        await imports.FinishAsync(id, new ImportSummary(1, 0, 0, 1, 0, 0, 0), [new ImportRejection(2, "no email address")]);
        return (slug, id);
    }

    private static string[] Pages(string slug, long import) =>
        ["/admin/lists", $"/admin/lists/{slug}/import", $"/admin/lists/{slug}/imports/{import}", $"/admin/lists/{slug}/imports/{import}/progress",
            $"/admin/lists/{slug}/imports/{import}/rejected.csv", $"/admin/lists/{slug}/export"];

    private static string[] Actions(string slug) => ["/admin/lists", $"/admin/lists/{slug}/import"];

    private static Dictionary<string, string> Fields(string slug) =>
        new() { ["slug"] = $"new-{slug}", ["name"] = "Should not exist", ["double_opt_in"] = "true" };

    /// <summary>Every list, import and subscription as stored.</summary>
    private Task<string> SnapshotAsync() => app.ScalarAsync<string>("""
        SELECT (SELECT coalesce(string_agg(concat_ws('|', id, slug, name, double_opt_in), ';' ORDER BY id), '') FROM lists)
            || '#' || (SELECT coalesce(string_agg(concat_ws('|', id, status, read_bytes), ';' ORDER BY id), '') FROM list_imports)
            || '#' || (SELECT count(*) FROM subscriptions)
        """);
}
