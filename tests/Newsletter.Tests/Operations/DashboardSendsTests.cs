using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Scheduling;
using Newsletter.Sending;
using SmtpServer.Protocol;

namespace Newsletter.Tests.Operations;

/// <summary>
/// The Sends pages inside the Hangfire dashboard, as ops see them: in the dashboard's menu, behind its sign-in, with a
/// send's counts, a weekly schedule's runs, the suppression list by reason, and why a send paused.
/// </summary>
public sealed class DashboardSendsTests(DashboardSendsTestApp app) : IClassFixture<DashboardSendsTestApp>
{
    [Fact]
    public async Task SendsPageIsInTheDashboardMenu()
    {
        using var ops = await app.OpsAsync();

        var dashboard = await ops.GetStringAsync("/hangfire");
        var sends = await ops.GetStringAsync("/hangfire/sends");

        Assert.Matches("""<a href="/hangfire/sends">\s*Sends""", dashboard);
        // Hangfire's layout: its navigation bar and stylesheet, with our item active.
        Assert.Contains("navbar", sends);
        Assert.Matches("""<li class="active">\s*<a href="/hangfire/sends">\s*Sends""", sends);
    }

    [Fact]
    public async Task TheFooterDoesNotNameTheDatabase()
    {
        using var ops = await app.OpsAsync();
        var database = new Npgsql.NpgsqlConnectionStringBuilder(app.ConnectionString).Database!;

        var dashboard = await ops.GetStringAsync("/hangfire");

        Assert.Contains("Newsletter jobs", dashboard);
        Assert.DoesNotContain(database, dashboard, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/hangfire/sends")]
    [InlineData("/hangfire/sends/1")]
    public async Task AnonymousRequestIsSentToLogin(string path)
    {
        using var client = app.CreateClient();

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task AnonymousRequestForFiguresIsNotServed()
    {
        using var client = app.CreateClient();

        var response = await client.GetAsync("/hangfire/sends/1/figures");

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task OpsSeeAFinishedSendsCountsOnBothPages()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var list = await app.CreateListAsync($"counted-{tag}");
        await app.Audience.SubscribeManyAsync($"counted-{tag}-", 7, list);
        var send = await app.Scheduler.ScheduleAsync(await app.StoreSampleIssueAsync(), [$"counted-{tag}"], at: null);
        await app.WaitForStatusAsync(send.Id, SendStatus.Finished);
        using var ops = await app.OpsAsync();

        var listPage = await ops.GetStringAsync("/hangfire/sends");
        var sendPage = await ops.GetStringAsync($"/hangfire/sends/{send.Id}");
        var figures = JsonDocument.Parse(await ops.GetStringAsync($"/hangfire/sends/{send.Id}/figures")).RootElement;

        Assert.Matches($"""<tr data-figures="/hangfire/sends/{send.Id}/figures" data-done="true">[\s\S]*?<td data-field="sent">7</td>""", listPage);
        Assert.Contains("""<td data-field="sent">7</td>""", sendPage);
        Assert.Contains("""<span class="label label-default" data-field="status">finished</span>""", sendPage);
        Assert.Contains("msg/s", sendPage);
        Assert.Equal("7", figures.GetProperty("fields").GetProperty("sent").GetString());
        Assert.True(figures.GetProperty("done").GetBoolean());
    }

    [Fact]
    public async Task OpsSeeAWeeklyScheduleRunThatFoundNoIssueReady()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        await app.CreateListAsync($"weekly-{tag}");
        var schedule = await app.Services.GetRequiredService<WeeklySchedules>().CreateAsync([$"weekly-{tag}"], "monday", "07:15", "Europe/Berlin");
        await app.Services.GetRequiredService<WeeklyScheduleJob>().RunAsync(schedule.Id);
        using var ops = await app.OpsAsync();

        var page = await ops.GetStringAsync("/hangfire/sends");

        Assert.Matches($"""{schedule.Id}[\s\S]*?no issue was ready; nothing sent""", page);
        Assert.Contains(WebUtility.HtmlEncode(schedule.Description), page);
    }

    [Fact]
    public async Task OpsSeeTheSuppressionListByReason()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        await app.SuppressAsync($"manual-{tag}-1@example.com");
        await app.SuppressAsync($"manual-{tag}-2@example.com");
        using var ops = await app.OpsAsync();

        var page = await ops.GetStringAsync("/hangfire/sends");
        var manual = await app.ScalarAsync<long>("SELECT count(*) FROM suppressions WHERE reason = 'manual'");

        Assert.True(manual >= 2);
        Assert.Contains($"""<td>manual</td><td data-reason="manual">{manual}</td>""", page);
    }

    [Fact]
    public async Task SendPageShowsTheRelaysAnswersToTheReadersItGaveUpOn()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var list = await app.CreateListAsync($"bounced-{tag}");
        await app.Audience.SubscribeManyAsync($"bounced-{tag}-", 3, list);
        app.Smtp.RecipientRule = (address, _) => address.StartsWith($"bounced-{tag}-1@")
            ? new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "5.1.1 No such user here")
            : null;
        try
        {
            var send = await app.Scheduler.ScheduleAsync(await app.StoreSampleIssueAsync(), [$"bounced-{tag}"], at: null);
            await app.WaitForStatusAsync(send.Id, SendStatus.Finished);
            using var ops = await app.OpsAsync();

            var page = await ops.GetStringAsync($"/hangfire/sends/{send.Id}");

            Assert.Contains("""<td data-field="failed">1</td>""", page);
            Assert.Matches($"""<td>bounced-{tag}-1@example.com</td><td>1</td><td><code>[^<]*5\.1\.1 No such user here""", page);
            Assert.Matches("""<td><code>[^<]*5\.1\.1 No such user here[^<]*</code></td>\s*<td>1</td>\s*<td>given up on</td>""", page);
            Assert.Contains("""<td>hard_bounce</td>""", await ops.GetStringAsync("/hangfire/sends"));
        }
        finally
        {
            app.Smtp.RecipientRule = null;
        }
    }

    [Fact]
    public async Task SendPageSaysWhyASendPausedItself()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var list = await app.CreateListAsync($"streak-{tag}");
        await app.Audience.SubscribeManyAsync($"streak-{tag}-", 20, list);
        app.Smtp.RecipientRule = (address, _) => address.StartsWith($"streak-{tag}-")
            ? new SmtpResponse(SmtpReplyCode.MailboxUnavailable - 100, "4.3.2 System not accepting messages")
            : null;
        try
        {
            var send = await app.Scheduler.ScheduleAsync(await app.StoreSampleIssueAsync(), [$"streak-{tag}"], at: null);
            var paused = await app.WaitForStatusAsync(send.Id, SendStatus.Paused);
            using var ops = await app.OpsAsync();

            var page = await ops.GetStringAsync($"/hangfire/sends/{send.Id}");

            Assert.Contains("""data-field="status">paused</span>""", page);
            Assert.Contains($"""<span class="reason" data-field="reason">{WebUtility.HtmlEncode(paused.StatusReason!)}</span>""", page);
            Assert.Matches("""<td><code>[^<]*4\.3\.2 System not accepting messages[^<]*</code></td>\s*<td>\d+</td>\s*<td>waiting to be tried again</td>""", page);
            Assert.Contains($"""data-field="reason">{WebUtility.HtmlEncode(paused.StatusReason!)}</small>""", await ops.GetStringAsync("/hangfire/sends"));
            Assert.Contains("in a row failed", paused.StatusReason);
            Assert.Contains("4.3.2 System not accepting messages", paused.StatusReason);
            // Read-only for everyone: no form or button that changes the send.
            Assert.DoesNotContain("<form", page);
            Assert.DoesNotContain("<button", page[page.IndexOf("page-header", StringComparison.Ordinal)..]);
        }
        finally
        {
            app.Smtp.RecipientRule = null;
        }
    }

    [Fact]
    public async Task UnknownSendIsNotFound()
    {
        using var ops = await app.OpsAsync();

        var page = await ops.GetAsync("/hangfire/sends/987654321");
        var figures = await ops.GetAsync("/hangfire/sends/987654321/figures");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("There is no send 987654321.", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, figures.StatusCode);
    }

    [Fact]
    public async Task AnIdTooLongForASendIsNotFoundEither()
    {
        using var ops = await app.OpsAsync();
        var tooLong = new string('9', 30);

        var page = await ops.GetAsync($"/hangfire/sends/{tooLong}");
        var figures = await ops.GetAsync($"/hangfire/sends/{tooLong}/figures");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, figures.StatusCode);
    }
}
