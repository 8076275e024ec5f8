using System.Net;
using System.ServiceModel.Syndication;
using System.Xml;
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
        var feedBefore = await FeedAsync(client);
        var list = await app.CreateListAsync("archive");
        await app.SubscribeAsync("archive-reader@example.com", list);
        var send = await app.Scheduler.ScheduleAsync(issueId, ["archive"], at: null);
        await app.WaitForStatusAsync(send.Id, SendStatus.Finished);
        var published = await client.GetAsync($"/archive/{issue.Slug}");
        var index = await client.GetStringAsync("/archive");
        var feed = await FeedAsync(client);

        Assert.Equal(HttpStatusCode.NotFound, draft.StatusCode);
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        var html = await published.Content.ReadAsStringAsync();
        Assert.Contains(WebUtility.HtmlEncode(issue.Title), html);
        Assert.DoesNotContain("{{", html);
        Assert.Contains($"/archive/{issue.Slug}", index);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/archive/no-such-issue")).StatusCode);
        var link = $"http://127.0.0.1:5000/archive/{issue.Slug}";
        Assert.DoesNotContain(feedBefore.Items, item => item.Id == link);
        var entry = Assert.Single(feed.Items, item => item.Id == link);
        Assert.Equal(link, entry.Links.Single().Uri.ToString());
        Assert.Equal(issue.Title, entry.Title.Text);
        Assert.True(entry.PublishDate > DateTimeOffset.UtcNow.AddMinutes(-5), $"published {entry.PublishDate}");
    }

    /// <summary>The archive's feed, read by the same library a feed reader would use: it must be valid Atom.</summary>
    private static async Task<SyndicationFeed> FeedAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/archive/feed.xml");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType!.MediaType);
        using var reader = XmlReader.Create(await response.Content.ReadAsStreamAsync());
        var formatter = new Atom10FeedFormatter();
        Assert.True(formatter.CanRead(reader), "not an Atom feed");
        formatter.ReadFrom(reader);
        return formatter.Feed;
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
