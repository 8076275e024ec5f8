using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Issues;
using Newsletter.Sending;
using static Newsletter.Tests.Authoring.AuthoringTestApp;

namespace Newsletter.Tests.Authoring;

/// <summary>Sending from the author's pages: test copies, a send now or at a zone's local time, refusals, a send's live figures and controls.</summary>
public sealed class SendPagesTests(AuthoringTestApp app) : IClassFixture<AuthoringTestApp>
{
    [Fact]
    public async Task TestCopiesArriveAtThePeerForEveryAddress()
    {
        using var admin = await app.AdminAsync();
        var slug = NewSlug();
        var id = await StoreAsync(IssueText(slug, $"Test copy {slug}"));

        var sent = await PostFormAsync(admin, Editor(id), $"/admin/issues/{id}/test",
            new() { ["to"] = $"Ann Author <ann-{slug}@example.com>, bob-{slug}@example.com" });

        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Equal($"/admin/issues/{id}?tested=2#send", sent.Headers.Location!.OriginalString);
        var ann = await app.Smtp.MailToAsync($"ann-{slug}@example.com", $"Test copy {slug}");
        var bob = await app.Smtp.MailToAsync($"bob-{slug}@example.com", $"Test copy {slug}");
        Assert.NotNull(ann);
        Assert.NotNull(bob);
        Assert.Contains("Hi Ann Author,", ann.TextBody);
        Assert.Contains("Test copies queued for 2 addresses", WebUtility.HtmlDecode(await admin.GetStringAsync(sent.Headers.Location)));
    }

    [Fact]
    public async Task TestToSomethingNotAnAddressIsRefusedInlineAndNothingIsQueued()
    {
        using var admin = await app.AdminAsync();
        var slug = NewSlug();
        var id = await StoreAsync(IssueText(slug, $"Refused test {slug}"));

        var refused = await PostFormAsync(admin, Editor(id), $"/admin/issues/{id}/test", new() { ["to"] = $"ok-{slug}@example.com, not-an-address" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var page = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains("'not-an-address' is not one email address.", page);
        Assert.Contains($"value=\"ok-{slug}@example.com, not-an-address\"", page);
        Assert.Null(await app.Smtp.MailToAsync($"ok-{slug}@example.com", slug, TimeSpan.FromSeconds(2)));
    }

    [Theory]
    [InlineData("2030-07-15", "08:30", "America/New_York", "2030-07-15T12:30:00Z")]
    [InlineData("2030-01-15", "08:30", "Europe/Berlin", "2030-01-15T07:30:00Z")]
    [InlineData("2030-03-31", "23:15", "UTC", "2030-03-31T23:15:00Z")]
    public async Task ScheduledSendStartsAtTheZonesLocalTime(string date, string time, string zone, string utc)
    {
        using var admin = await app.AdminAsync();
        var slug = NewSlug();
        await app.CreateListAsync($"at-{slug}");
        var id = await StoreAsync(IssueText(slug));

        var created = await PostFormAsync(admin, Editor(id), $"/admin/issues/{id}/send",
            new() { ["list"] = $"at-{slug}", ["when"] = "at", ["date"] = date, ["time"] = time, ["zone"] = zone });

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var send = await app.Sends.GetSendAsync(SendIdOf(created.Headers.Location!));
        Assert.Equal(DateTime.Parse(utc, null, System.Globalization.DateTimeStyles.AdjustToUniversal), send!.ScheduledAt.ToUniversalTime());
        Assert.Equal(SendStatus.Scheduled, send.Status);
        Assert.Null(send.PreflightOverride);
        await app.Scheduler.CancelAsync(send.Id);
    }

    [Theory]
    [InlineData("nope", "at", "2030-01-01", "08:00", "No list with the slug 'nope'.")]
    [InlineData(null, "at", "2020-01-01", "08:00", "is in the past; a send starts now or at a future time.")]
    [InlineData(null, "at", "2030-03-31", "02:30", "does not happen in Europe/Berlin: the clocks skip it.")]
    [InlineData(null, "at", "tomorrow", "08:00", "'tomorrow' is not a date as YYYY-MM-DD.")]
    [InlineData(null, "at", "", "08:00", "A send at a time needs a date and a time of day.")]
    public async Task RefusedSendIsShownOnTheEditorAndCreatesNothing(string? list, string when, string date, string time, string message)
    {
        using var admin = await app.AdminAsync();
        var slug = NewSlug();
        await app.CreateListAsync($"no-{slug}");
        var id = await StoreAsync(IssueText(slug));
        var before = await SendCountAsync();

        var refused = await PostFormAsync(admin, Editor(id), $"/admin/issues/{id}/send",
            new() { ["list"] = list ?? $"no-{slug}", ["when"] = when, ["date"] = date, ["time"] = time, ["zone"] = "Europe/Berlin" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var page = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains(message, page);
        Assert.Contains("Nothing was sent.", page);
        Assert.Contains("<option value=\"Europe/Berlin\" selected", page);
        Assert.Equal(before, await SendCountAsync());
    }

    [Fact]
    public async Task FailingPreflightIsRefusedWithoutSendAnywayAndRecordedWithIt()
    {
        using var admin = await app.AdminAsync();
        var slug = NewSlug();
        await app.CreateListAsync($"pf-{slug}");
        // Over Gmail's clip: the size check fails.
        var paragraph = string.Concat(Enumerable.Repeat("A paragraph long enough to fill the issue quickly. ", 20));
        var id = await StoreAsync(IssueText(slug, intro: string.Join("\n\n", Enumerable.Repeat(paragraph, 120))));
        var editor = WebUtility.HtmlDecode(await admin.GetStringAsync(Editor(id)));
        Assert.Contains("1 failing line", editor);
        Assert.Contains("Gmail clips it at 102 KB", editor);
        Assert.Contains("name=\"override\"", editor);
        Dictionary<string, string> fields = new() { ["list"] = $"pf-{slug}", ["when"] = "at", ["date"] = "2030-01-01", ["time"] = "08:00", ["zone"] = "UTC" };

        var refused = await PostFormAsync(admin, Editor(id), $"/admin/issues/{id}/send", fields);
        var sendsAfterRefusal = await app.ScalarAsync<long>("SELECT count(*) FROM sends WHERE issue_id = @id", new { id });
        var overridden = await PostFormAsync(admin, Editor(id), $"/admin/issues/{id}/send", new(fields) { ["override"] = "on" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains($"Issue {slug} fails its preflight (size). Nothing was sent.", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));
        Assert.Equal(0L, sendsAfterRefusal);
        Assert.Equal(HttpStatusCode.Redirect, overridden.StatusCode);
        var send = (await app.Sends.GetSendAsync(SendIdOf(overridden.Headers.Location!)))!;
        Assert.StartsWith("size: the HTML part is", send.PreflightOverride);
        Assert.Contains("Sent despite a failing preflight", WebUtility.HtmlDecode(await admin.GetStringAsync(overridden.Headers.Location)));
        await app.Scheduler.CancelAsync(send.Id);
    }

    [Fact]
    public async Task SendPageFiguresMoveToFinished()
    {
        using var admin = await app.AdminAsync();
        var slug = NewSlug();
        var listId = await app.CreateListAsync($"now-{slug}");
        for (var i = 0; i < 5; i++)
            await app.SubscribeAsync($"r{i}-{slug}@example.com", listId);
        var id = await StoreAsync(IssueText(slug));

        var created = await PostFormAsync(admin, Editor(id), $"/admin/issues/{id}/send", new() { ["list"] = $"now-{slug}", ["when"] = "now" });

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var sendId = SendIdOf(created.Headers.Location!);
        var page = await admin.GetStringAsync($"/admin/sends/{sendId}");
        Assert.Contains($"data-url=\"/admin/sends/{sendId}/progress\"", page);
        Assert.Contains("/assets/send-progress.js", page);
        await app.WaitForStatusAsync(sendId, SendStatus.Finished);
        using var figures = JsonDocument.Parse(await admin.GetStringAsync($"/admin/sends/{sendId}/progress"));
        Assert.Equal("finished", figures.RootElement.GetProperty("status").GetString());
        Assert.True(figures.RootElement.GetProperty("done").GetBoolean());
        Assert.Equal("5", figures.RootElement.GetProperty("fields").GetProperty("sent").GetString());
        Assert.Equal("0", figures.RootElement.GetProperty("fields").GetProperty("pending").GetString());
        Assert.Contains($"/admin/sends/{sendId}\"", await admin.GetStringAsync("/admin/sends"));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/admin/sends/{sendId + 1000}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/admin/sends/{sendId + 1000}/progress")).StatusCode);
    }

    [Fact]
    public async Task FailedRecipientsAreListedWithTheRelaysAnswer()
    {
        using var admin = await app.AdminAsync();
        var slug = NewSlug();
        var listId = await app.CreateListAsync($"bad-{slug}");
        await app.SubscribeAsync($"good-{slug}@example.com", listId);
        await app.SubscribeAsync($"gone-{slug}@example.com", listId);
        app.Smtp.RecipientRule = (address, _) => address.StartsWith($"gone-{slug}", StringComparison.OrdinalIgnoreCase)
            ? new SmtpServer.Protocol.SmtpResponse(SmtpServer.Protocol.SmtpReplyCode.MailboxUnavailable, "5.1.1 no such user here")
            : null;
        try
        {
            var send = await app.Scheduler.ScheduleAsync(await StoreAsync(IssueText(slug)), [$"bad-{slug}"], null);
            await app.WaitForStatusAsync(send.Id, SendStatus.Finished);

            var page = WebUtility.HtmlDecode(await admin.GetStringAsync($"/admin/sends/{send.Id}"));

            Assert.Contains($"gone-{slug}@example.com", page);
            Assert.Contains("no such user here", page);
            Assert.DoesNotContain($"good-{slug}@example.com", page);
        }
        finally
        {
            app.Smtp.RecipientRule = null;
        }
    }

    [Fact]
    public async Task PauseResumeAndCancelChangeTheSendsStatus()
    {
        using var admin = await app.AdminAsync();
        var slug = NewSlug();
        await app.CreateListAsync($"ctl-{slug}");
        var send = await app.Scheduler.ScheduleAsync(await StoreAsync(IssueText(slug)), [$"ctl-{slug}"], DateTime.UtcNow.AddDays(1));
        var page = $"/admin/sends/{send.Id}";

        var paused = await PostFormAsync(admin, page, $"{page}/pause", []);
        var pausedStatus = (await app.Sends.GetSendAsync(send.Id))!.Status;
        var pausedAgain = await PostFormAsync(admin, page, $"{page}/pause", []);
        var resumed = await PostFormAsync(admin, page, $"{page}/resume", []);
        var resumedStatus = (await app.Sends.GetSendAsync(send.Id))!.Status;
        var cancelled = await PostFormAsync(admin, page, $"{page}/cancel", []);

        Assert.Equal(HttpStatusCode.Redirect, paused.StatusCode);
        Assert.Equal(SendStatus.Paused, pausedStatus);
        Assert.Equal(HttpStatusCode.Conflict, pausedAgain.StatusCode);
        Assert.Contains($"Send {send.Id} is paused; it cannot be paused from there.", WebUtility.HtmlDecode(await pausedAgain.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.Redirect, resumed.StatusCode);
        Assert.Equal(SendStatus.Scheduled, resumedStatus);
        Assert.Equal(HttpStatusCode.Redirect, cancelled.StatusCode);
        Assert.Equal(SendStatus.Cancelled, (await app.Sends.GetSendAsync(send.Id))!.Status);
        using var figures = JsonDocument.Parse(await admin.GetStringAsync($"{page}/progress"));
        Assert.Equal("cancelled", figures.RootElement.GetProperty("status").GetString());
    }

    private async Task<long> StoreAsync(string source) =>
        (await app.Services.GetRequiredService<IssueLibrary>().CreateIssueAsync(source, "test")).Id;

    private Task<long> SendCountAsync() => app.ScalarAsync<long>("SELECT count(*) FROM sends");

    private static string Editor(long id) => $"/admin/issues/{id}";

    private static long SendIdOf(Uri location)
    {
        Assert.StartsWith("/admin/sends/", location.OriginalString);
        return long.Parse(location.OriginalString["/admin/sends/".Length..]);
    }
}
