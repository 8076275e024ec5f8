using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Issues;
using Newsletter.Tests.Infrastructure;
using static Newsletter.Tests.Authoring.AuthoringTestApp;

namespace Newsletter.Tests.Authoring;

/// <summary>The author's issue pages as an admin uses them: create, edit, preview, errors, mark ready.</summary>
public sealed class IssuePagesTests(AuthoringTestApp app) : IClassFixture<AuthoringTestApp>
{
    private IssueStore Issues => app.Services.GetRequiredService<IssueStore>();

    [Fact]
    public async Task PastedIssueIsStoredAsADraftAndOpensInTheEditor()
    {
        using var admin = await app.AdminAsync();
        var slug = NewSlug();

        var created = await PostFormAsync(admin, "/admin/issues/new", "/admin/issues", new() { ["source"] = IssueText(slug, "Pasted In") });

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var stored = await Issues.FindIssueAsync(slug);
        Assert.NotNull(stored);
        Assert.Equal("Pasted In", stored.Title);
        Assert.Equal(IssueText(slug, "Pasted In"), stored.Source);
        Assert.Null(stored.ReadyAt);
        Assert.Equal($"/admin/issues/{stored.Id}", created.Headers.Location!.OriginalString);
        var editor = await admin.GetStringAsync(created.Headers.Location);
        Assert.Contains("Pasted In", editor);
        Assert.Contains($"/admin/issues/{stored.Id}/preview", editor);
        Assert.Contains("width=\"375\"", editor);
        Assert.Contains("width=\"800\"", editor);
        var list = await admin.GetStringAsync("/admin/issues?state=draft");
        Assert.Contains($"/admin/issues/{stored.Id}\"", list);
    }

    [Fact]
    public async Task UploadedFileIsStoredUnderItsOwnSlug()
    {
        using var admin = await app.AdminAsync();
        var slug = NewSlug();
        var token = await FormTokenAsync(admin, "/admin/issues/new");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token.Value), token.Key },
            { new StringContent(""), "source" },
            { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(IssueText(slug, "Uploaded"))), "file", "uploaded.md" },
        };

        var created = await admin.PostAsync("/admin/issues", form);

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal("Uploaded", (await Issues.FindIssueAsync(slug))!.Title);
    }

    [Fact]
    public async Task UploadThatIsNotUtf8IsRefusedWithItsLine()
    {
        using var admin = await app.AdminAsync();
        var slug = NewSlug();
        var token = await FormTokenAsync(admin, "/admin/issues/new");
        var latin1 = System.Text.Encoding.Latin1.GetBytes(IssueText(slug, "Caf\u00e9"));
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token.Value), token.Key },
            { new ByteArrayContent(latin1), "file", "latin1.md" },
        };

        var refused = await admin.PostAsync("/admin/issues", form);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("Line 2: the file is not UTF-8 text (byte 0xE9", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));
        Assert.Null(await Issues.FindIssueAsync(slug));
    }

    [Fact]
    public async Task SavingTheEditorReplacesTheTextAndKeepsTheIssue()
    {
        using var admin = await app.AdminAsync();
        var id = await CreateAsync(admin, IssueText(NewSlug(), "Before"));
        var newSlug = NewSlug();

        var saved = await PostFormAsync(admin, $"/admin/issues/{id}", $"/admin/issues/{id}", new() { ["source"] = IssueText(newSlug, "After") });

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var stored = await Issues.GetIssueAsync(id);
        Assert.Equal("After", stored.Title);
        Assert.Equal(newSlug, stored.Slug);
        Assert.Contains("Saved.", await admin.GetStringAsync(saved.Headers.Location));
    }

    [Fact]
    public async Task SavingUnderAnotherIssuesSlugIsRefusedAndChangesNothing()
    {
        using var admin = await app.AdminAsync();
        var taken = NewSlug();
        await CreateAsync(admin, IssueText(taken, "First"));
        var id = await CreateAsync(admin, IssueText(NewSlug(), "Second"));
        var before = await Issues.GetIssueAsync(id);

        var saved = await PostFormAsync(admin, $"/admin/issues/{id}", $"/admin/issues/{id}", new() { ["source"] = IssueText(taken, "Second") });
        var again = await PostFormAsync(admin, "/admin/issues/new", "/admin/issues", new() { ["source"] = IssueText(taken, "Third") });

        Assert.Equal(HttpStatusCode.Conflict, saved.StatusCode);
        Assert.Contains($"another issue already has the slug &#x27;{taken}&#x27;", await saved.Content.ReadAsStringAsync());
        Assert.Equal(before, await Issues.GetIssueAsync(id));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("First", (await Issues.FindIssueAsync(taken))!.Title);
    }

    [Fact]
    public async Task FrontMatterErrorIsShownWithItsLineAndNothingIsStored()
    {
        using var admin = await app.AdminAsync();
        var slug = NewSlug();
        var text = IssueText(slug).Replace("date: 2026-12-03", "date: next thursday");

        var refused = await PostFormAsync(admin, "/admin/issues/new", "/admin/issues", new() { ["source"] = text });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var page = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains("Line 3: date 'next thursday' is not a date (write it as 2026-01-31)", page);
        Assert.Contains("3 | date: next thursday", page);
        Assert.Contains("slug: " + slug, page);
        Assert.Null(await Issues.FindIssueAsync(slug));
    }

    [Fact]
    public async Task UnknownMergeTokenIsShownWithItsLineOnSaveAndInTheLivePreview()
    {
        using var admin = await app.AdminAsync();
        var id = await CreateAsync(admin, IssueText(NewSlug()));
        var before = await Issues.GetIssueAsync(id);
        var text = IssueText(before.Slug, intro: "Hi {{nmae|there}},");

        var saved = await PostFormAsync(admin, $"/admin/issues/{id}", $"/admin/issues/{id}", new() { ["source"] = text });
        var live = await LivePreviewAsync(admin, id, text, "");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, saved.StatusCode);
        Assert.Contains("Line 8: unknown merge token &#x27;{{nmae|there}}&#x27;", await saved.Content.ReadAsStringAsync());
        Assert.Equal(before, await Issues.GetIssueAsync(id));
        var problem = live.GetProperty("problem");
        Assert.Equal(8, problem.GetProperty("line").GetInt32());
        Assert.StartsWith("unknown merge token '{{nmae|there}}'", problem.GetProperty("reason").GetString());
        Assert.Equal("Hi {{nmae|there}},", problem.GetProperty("lineText").GetString());
        Assert.Equal(JsonValueKind.Null, live.GetProperty("html").ValueKind);
    }

    [Fact]
    public async Task LivePreflightChecksTheUnsavedTextAndLeavesTheStoredIssueAlone()
    {
        using var admin = await app.AdminAsync();
        var id = await CreateAsync(admin, IssueText(NewSlug()));
        var before = await Issues.GetIssueAsync(id);
        var plainLink = before.Source.Replace("https://example.com/story", "http://example.com/plain-story", StringComparison.Ordinal);

        var stored = await admin.GetStringAsync($"/admin/issues/{id}");
        var live = await LivePreflightAsync(admin, id, plainLink);
        var unreadable = await LivePreflightAsync(admin, id, plainLink.Replace("title:", "title", StringComparison.Ordinal));

        Assert.DoesNotContain("http://example.com/plain-story", stored);
        Assert.StartsWith("<section class=\"panel\"", live);
        Assert.Contains("Checked as you typed", live);
        Assert.Matches("<li class=\"check-warn\">(?:(?!</li>).)*1 link not https(?:(?!</li>).)*http://example.com/plain-story",
            live.ReplaceLineEndings(" "));
        Assert.Contains("Preflight runs once the issue reads", unreadable);
        Assert.Equal(before, await Issues.GetIssueAsync(id));
    }

    [Fact]
    public async Task PreviewIsTheHtmlTheSubscriberReceives()
    {
        var listId = await app.CreateListAsync($"preview-{Guid.NewGuid():N}"[..16]);
        var email = $"quinn-{Guid.NewGuid():N}@example.net";
        var subscriberId = await app.SubscribeAsync(email, listId, name: "Quinn Zephyr");
        using var admin = await app.AdminAsync();
        var text = IssueText(NewSlug(), "Sent As Previewed");
        var id = await CreateAsync(admin, text);

        var preview = await admin.GetAsync($"/admin/issues/{id}/preview?as={Uri.EscapeDataString(email)}");
        var byId = await admin.GetStringAsync($"/admin/issues/{id}/preview?as={subscriberId}");
        var live = await LivePreviewAsync(admin, id, text, email);
        var listSlug = await app.ScalarAsync<string>("SELECT slug FROM lists WHERE id = @listId", new { listId });
        var send = await app.Scheduler.ScheduleAsync(id, [listSlug], at: null);
        await app.WaitForStatusAsync(send.Id, Newsletter.Sending.SendStatus.Finished);
        var received = app.Smtp.Messages.Single(m => m.To.Mailboxes.Any(to => to.Address == email));

        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Equal("text/html", preview.Content.Headers.ContentType!.MediaType);
        Assert.Contains("sandbox", preview.Headers.GetValues("Content-Security-Policy").Single());
        var html = await preview.Content.ReadAsStringAsync();
        Assert.Equal(received.HtmlBody, html);
        Assert.Equal(received.HtmlBody, byId);
        Assert.Equal(received.HtmlBody, live.GetProperty("html").GetString());
        Assert.Equal(received.TextBody, live.GetProperty("text").GetString());
        Assert.Equal(received.Subject, live.GetProperty("subject").GetString());
        Assert.Contains("Hi Quinn Zephyr,", html);
        Assert.Contains("/unsubscribe?token=", html);
        var editor = await admin.GetStringAsync($"/admin/issues/{id}?tab=text&as={Uri.EscapeDataString(email)}");
        var textTab = System.Text.RegularExpressions.Regex.Match(editor, "<pre id=\"preview-text\"[^>]*>(.*?)</pre>",
            System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.Equal(received.TextBody, WebUtility.HtmlDecode(textTab.Groups[1].Value));
        Assert.Contains($"Quinn Zephyr &lt;{email}&gt;", editor);
    }

    [Fact]
    public async Task UnknownPreviewReaderFallsBackToTheSampleReaderAndSaysSo()
    {
        using var admin = await app.AdminAsync();
        var id = await CreateAsync(admin, IssueText(NewSlug()));

        var editor = WebUtility.HtmlDecode(await admin.GetStringAsync($"/admin/issues/{id}?as=nobody%40example.org"));
        var frame = await admin.GetStringAsync($"/admin/issues/{id}/preview?as=nobody%40example.org");

        Assert.Contains("No subscriber has the address or id 'nobody@example.org'; showing the sample reader.", editor);
        Assert.Contains("Hi Sam,", frame);
    }

    [Fact]
    public async Task MarkReadyMakesTheIssueReadyForTheSchedule()
    {
        using var admin = await app.AdminAsync();
        var id = await CreateAsync(admin, IssueText(NewSlug()));

        var ready = await PostFormAsync(admin, $"/admin/issues/{id}", $"/admin/issues/{id}/ready", []);

        Assert.Equal(HttpStatusCode.Redirect, ready.StatusCode);
        Assert.NotNull((await Issues.GetIssueAsync(id)).ReadyAt);
        Assert.Contains($"/admin/issues/{id}\"", await admin.GetStringAsync("/admin/issues?state=ready"));
        Assert.DoesNotContain($"/admin/issues/{id}\"", await admin.GetStringAsync("/admin/issues?state=draft"));
    }

    [Fact]
    public async Task ListShowsScheduledAndSentIssues()
    {
        var listSlug = $"states-{Guid.NewGuid():N}"[..16];
        var listId = await app.CreateListAsync(listSlug);
        await app.SubscribeAsync($"states-{Guid.NewGuid():N}@example.net", listId);
        using var admin = await app.AdminAsync();
        var scheduled = await CreateAsync(admin, IssueText(NewSlug(), "Later"));
        var sent = await CreateAsync(admin, IssueText(NewSlug(), "Now"));

        await app.Scheduler.ScheduleAsync(scheduled, [listSlug], at: DateTime.UtcNow.AddDays(7));
        var send = await app.Scheduler.ScheduleAsync(sent, [listSlug], at: null);
        await app.WaitForStatusAsync(send.Id, Newsletter.Sending.SendStatus.Finished);

        Assert.Contains($"/admin/issues/{scheduled}\"", await admin.GetStringAsync("/admin/issues?state=scheduled"));
        Assert.Contains($"/admin/issues/{sent}\"", await admin.GetStringAsync("/admin/issues?state=sent"));
        Assert.DoesNotContain($"/admin/issues/{sent}\"", await admin.GetStringAsync("/admin/issues?state=scheduled"));
    }

    [Fact]
    public async Task AnIssueThatHasGoneOutKeepsItsSlugThroughEdits()
    {
        var listSlug = $"kept-{Guid.NewGuid():N}"[..16];
        await app.SubscribeAsync($"kept-{Guid.NewGuid():N}@example.net", await app.CreateListAsync(listSlug));
        using var admin = await app.AdminAsync();
        var slug = NewSlug();
        var id = await CreateAsync(admin, IssueText(slug, "Gone out"));
        var send = await app.Scheduler.ScheduleAsync(id, [listSlug], at: null);
        await app.WaitForStatusAsync(send.Id, Newsletter.Sending.SendStatus.Finished);

        var renamed = await PostFormAsync(admin, $"/admin/issues/{id}", $"/admin/issues/{id}", new() { ["source"] = IssueText(NewSlug(), "Renamed") });
        var corrected = await PostFormAsync(admin, $"/admin/issues/{id}", $"/admin/issues/{id}", new() { ["source"] = IssueText(slug, "Corrected") });

        Assert.Equal(HttpStatusCode.Conflict, renamed.StatusCode);
        Assert.Contains($"this issue has gone out as &#x27;{slug}&#x27;", await renamed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, corrected.StatusCode);
        var stored = await Issues.GetIssueAsync(id);
        Assert.Equal((slug, "Corrected"), (stored.Slug, stored.Title));
    }

    private static async Task<long> CreateAsync(HttpClient admin, string text)
    {
        var created = await PostFormAsync(admin, "/admin/issues/new", "/admin/issues", new() { ["source"] = text });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        return IdOf(created.Headers.Location!);
    }

    private static async Task<string> LivePreflightAsync(HttpClient admin, long id, string text)
    {
        var response = await PostFormAsync(admin, $"/admin/issues/{id}", "/admin/issues/preflight", new() { ["source"] = text });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<JsonElement> LivePreviewAsync(HttpClient admin, long id, string text, string readerAs)
    {
        var response = await PostFormAsync(admin, $"/admin/issues/{id}", "/admin/issues/preview", new() { ["source"] = text, ["as"] = readerAs });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
