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

    [Fact]
    public async Task EditedIssueShowsItsNewTextOnTheArchivePage()
    {
        using var client = app.CreateClient();
        var folder = Directory.CreateTempSubdirectory("archive-edit").FullName;
        var path = Path.Combine(folder, "issue.md");
        var sample = await File.ReadAllTextAsync(Rendering.RenderingFixture.SamplePath);
        // The sample opens with its front matter's "---" line: the slug goes right after it.
        await File.WriteAllTextAsync(path, "---\nslug: archive-edit\n" + sample["---\n".Length..]);
        var issueId = await app.StoreSampleIssueAsync(path);
        var list = await app.CreateListAsync("archive-edit");
        await app.SubscribeAsync("archive-edit-reader@example.com", list);
        var send = await app.Scheduler.ScheduleAsync(issueId, ["archive-edit"], at: null);
        await app.WaitForStatusAsync(send.Id, SendStatus.Finished);

        var before = await client.GetStringAsync("/archive/archive-edit");
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path)).Replace("Every Monday I collect", "Every Tuesday I collect"));
        await app.StoreSampleIssueAsync(path);
        var after = await client.GetStringAsync("/archive/archive-edit");
        Directory.Delete(folder, recursive: true);

        Assert.Contains("Every Monday I collect", before);
        Assert.Contains("Every Tuesday I collect", after);
        Assert.DoesNotContain("Every Monday I collect", after);
    }
}
