using System.Net;
using Newsletter.Sending;

namespace Newsletter.Tests.Sending;

public sealed class ArchiveTests(SendingTestApp app) : IClassFixture<SendingTestApp>
{
    [Fact]
    public async Task SentIssueHasAWebVersionAndDraftsStayPrivate()
    {
        using var client = app.CreateClient();
        var issueId = await app.StoreSampleIssueAsync();
        var issue = await app.Issues.GetIssueAsync(issueId);

        var draft = await client.GetAsync($"/archive/{issue.Slug}");
        var list = await app.CreateListAsync("archive");
        await app.SubscribeAsync("archive-reader@example.com", list);
        var send = await app.Scheduler.ScheduleAsync(issueId, ["archive"], at: null);
        await app.WaitForStatusAsync(send.Id, SendStatus.Finished);
        var published = await client.GetAsync($"/archive/{issue.Slug}");
        var index = await client.GetStringAsync("/archive");

        Assert.Equal(HttpStatusCode.NotFound, draft.StatusCode);
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        var html = await published.Content.ReadAsStringAsync();
        Assert.Contains(WebUtility.HtmlEncode(issue.Title), html);
        Assert.DoesNotContain("{{", html);
        Assert.Contains($"/archive/{issue.Slug}", index);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/archive/no-such-issue")).StatusCode);
    }
}
