using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Issues;
using Newsletter.Scheduling;
using static Newsletter.Tests.Authoring.AuthoringTestApp;

namespace Newsletter.Tests.Authoring;

/// <summary>The sending pages' roles: ops see them and act on nothing; nobody acts without the page's token.</summary>
public sealed class SendingPagesAccessTests(AuthoringTestApp app) : IClassFixture<AuthoringTestApp>
{
    [Fact]
    public async Task OpsSeeEveryPageReadOnly()
    {
        var (issueId, sendId, scheduleId, _) = await SeedAsync();
        using var ops = await app.OpsAsync();

        foreach (var page in Pages(issueId, sendId, scheduleId))
        {
            var response = await ops.GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{page}: {response.StatusCode}");
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains("you can look at everything here but change nothing", html);
            // Every form that posts, but signing out, shows its button disabled.
            var buttons = System.Text.RegularExpressions.Regex.Matches(html, "<form[^>]*method=\"post\".*?</form>", System.Text.RegularExpressions.RegexOptions.Singleline)
                .Select(form => System.Text.RegularExpressions.Regex.Match(form.Value, "<button[^>]*>").Value)
                .Where(button => !button.Contains("class=\"link\""))
                .ToList();
            Assert.All(buttons, button => Assert.Contains("disabled", button));
        }
    }

    [Fact]
    public async Task OpsGetForbiddenForEveryActionAndNothingChanges()
    {
        var (issueId, sendId, scheduleId, list) = await SeedAsync();
        var before = await SnapshotAsync();
        using var ops = await app.OpsAsync();

        foreach (var action in Actions(issueId, sendId, scheduleId))
        {
            // With the token of a page ops were shown: only the role stands in the way.
            var response = await PostFormAsync(ops, $"/admin/sends/{sendId}", action, Fields(list));
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{action}: {response.StatusCode}");
        }

        Assert.Equal(before, await SnapshotAsync());
        Assert.DoesNotContain(app.Smtp.Messages, m => m.To.Mailboxes.Any(b => b.Address.StartsWith(list, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AdminPostWithoutTheAntiforgeryTokenIsRefusedAndChangesNothing()
    {
        var (issueId, sendId, scheduleId, list) = await SeedAsync();
        var before = await SnapshotAsync();
        using var admin = await app.AdminAsync();

        foreach (var action in Actions(issueId, sendId, scheduleId))
        {
            var response = await PostFormAsync(admin, $"/admin/sends/{sendId}", action, Fields(list), withToken: false);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{action}: {response.StatusCode}");
        }

        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task WithoutASessionEveryPageRedirectsToSignIn()
    {
        var (issueId, sendId, scheduleId, _) = await SeedAsync();
        using var anonymous = app.CreateClient();

        foreach (var page in Pages(issueId, sendId, scheduleId).Append($"/admin/sends/{sendId}/progress"))
        {
            var response = await anonymous.GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{page}: {response.StatusCode}");
            Assert.StartsWith("/login?ReturnUrl=", response.Headers.Location!.PathAndQuery);
        }
    }

    [Fact]
    public async Task EveryFormCarriesTheAntiforgeryToken()
    {
        var (issueId, sendId, scheduleId, _) = await SeedAsync();
        using var admin = await app.AdminAsync();

        foreach (var page in Pages(issueId, sendId, scheduleId))
        {
            var html = await admin.GetStringAsync(page);
            var posts = System.Text.RegularExpressions.Regex.Matches(html, "<form[^>]*method=\"post\"[^>]*>(.*?)</form>",
                System.Text.RegularExpressions.RegexOptions.Singleline);
            Assert.NotEmpty(posts);
            Assert.All(posts, form => Assert.Matches(Infrastructure.TestApp.AntiforgeryField(), form.Value));
        }
    }

    /// <summary>An issue, a list with one reader, a send scheduled a day ahead and a weekly schedule.</summary>
    private async Task<(long IssueId, long SendId, string ScheduleId, string List)> SeedAsync()
    {
        var slug = NewSlug();
        var listId = await app.CreateListAsync(slug);
        await app.SubscribeAsync($"{slug}-reader@example.com", listId);
        var issueId = (await app.Services.GetRequiredService<IssueLibrary>().CreateIssueAsync(IssueText(slug), "test")).Id;
        var send = await app.Scheduler.ScheduleAsync(issueId, [slug], DateTime.UtcNow.AddDays(1));
        var schedule = await app.Services.GetRequiredService<WeeklySchedules>().CreateAsync([slug], "monday", "07:00", "UTC");
        return (issueId, send.Id, schedule.Id, slug);
    }

    private static string[] Pages(long issueId, long sendId, string scheduleId) =>
        [$"/admin/issues/{issueId}", "/admin/sends", $"/admin/sends/{sendId}", "/admin/schedules", $"/admin/schedules/{scheduleId}"];

    private static string[] Actions(long issueId, long sendId, string scheduleId) =>
    [
        $"/admin/issues/{issueId}/test", $"/admin/issues/{issueId}/send", $"/admin/sends/{sendId}/pause", $"/admin/sends/{sendId}/resume",
        $"/admin/sends/{sendId}/cancel", "/admin/schedules", $"/admin/schedules/{scheduleId}", $"/admin/schedules/{scheduleId}/delete",
    ];

    private static Dictionary<string, string> Fields(string list) => new()
    {
        ["to"] = $"{list}-test@example.com", ["list"] = list, ["when"] = "now", ["day"] = "Friday", ["time"] = "09:00", ["zone"] = "UTC",
    };

    /// <summary>Every send and schedule as stored.</summary>
    private Task<string> SnapshotAsync() => app.ScalarAsync<string>(
        "SELECT coalesce((SELECT string_agg(concat_ws('|', id, status, scheduled_at, updated_at), ';' ORDER BY id) FROM sends), '') || '#' || " +
        "coalesce((SELECT string_agg(concat_ws('|', id, cron, time_zone, list_ids::text), ';' ORDER BY id) FROM schedules), '')");
}
