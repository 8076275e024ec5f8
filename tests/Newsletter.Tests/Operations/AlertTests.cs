using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Newsletter.Operations;
using Newsletter.Scheduling;
using Newsletter.Sending;
using Newsletter.Tests.Sending;
using SmtpServer.Protocol;

namespace Newsletter.Tests.Operations;

/// <summary>The app with an operator address for alerts, its log captured, and deferred readers retried only after an hour.</summary>
public sealed class AlertsTestApp : SendingTestApp
{
    public const string Operator = "ops-alerts@example.com";

    public CapturedLog Log { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        base.Settings.Concat([
            new("Newsletter:Alerts:Email", Operator),
            new("Newsletter:Sending:RetryBaseSeconds", "3600"),
        ]);

    protected override void Configure(WebApplicationBuilder builder) => builder.Logging.AddProvider(Log);

    public AlertWatchJob Watcher => Services.GetRequiredService<AlertWatchJob>();

    public Task<long> AlertsAsync(string subject) =>
        ScalarAsync<long>("SELECT count(*) FROM alerts WHERE subject = @subject", new { subject });
}

/// <summary>Each condition mails the operator once, with what happened and what to type, and logs the same at warning.</summary>
public sealed class AlertTests(AlertsTestApp app) : IClassFixture<AlertsTestApp>, IDisposable
{
    private readonly string _tag = "a" + Guid.NewGuid().ToString("N")[..6];

    public void Dispose() => app.Smtp.RecipientRule = null;

    [Fact]
    public async Task SendThatPausesItselfMailsTheOperatorOnceWithTheCommandToResumeIt()
    {
        app.Smtp.RecipientRule = (address, _) => address.StartsWith(_tag, StringComparison.Ordinal)
            ? new SmtpResponse(SmtpReplyCode.TransactionFailed, "5.7.1 Relay access denied")
            : null;
        var list = await app.CreateListAsync(_tag);
        await app.Audience.SubscribeManyAsync($"{_tag}-", 30, list);

        var send = await app.Scheduler.ScheduleAsync(await app.StoreSampleIssueAsync(), [_tag], at: null);
        await app.WaitForStatusAsync(send.Id, SendStatus.Paused);

        var subject = $"Newsletter alert: send {send.Id} paused itself";
        var mail = await app.Smtp.MailToAsync(AlertsTestApp.Operator, subject);
        Assert.NotNull(mail);
        Assert.Equal(subject, mail.Subject);
        Assert.Contains("5.7.1 Relay access denied", mail.TextBody);
        Assert.Contains($"newsletter sends resume {send.Id}", mail.TextBody);
        Assert.Contains($"http://127.0.0.1:5000/admin/sends/{send.Id}", mail.TextBody);
        Assert.Null(mail.HtmlBody);
        Assert.Contains(app.Log.Warnings, line => line.StartsWith(subject, StringComparison.Ordinal) && line.Contains("5.7.1"));
        // Every batch chain met the refusal, and only the one that moved the send to paused raised the alert.
        Assert.Equal(1L, await app.AlertsAsync($"send {send.Id} paused itself"));
    }

    [Fact]
    public async Task WeeklySlotWithNoReadyIssueMailsTheOperator()
    {
        await app.CreateListAsync(_tag);
        var schedule = await app.Services.GetRequiredService<WeeklySchedules>().CreateAsync([_tag], "thursday", "08:30", "UTC");
        await app.ScalarAsync<long>("UPDATE issues SET ready_at = NULL RETURNING 1");

        await app.Services.GetRequiredService<WeeklyScheduleJob>().RunAsync(schedule.Id, CancellationToken.None);

        var subject = $"Newsletter alert: weekly schedule {schedule.Id} found no ready issue";
        var mail = await app.Smtp.MailToAsync(AlertsTestApp.Operator, subject);
        Assert.NotNull(mail);
        Assert.Contains("nothing was sent", mail.TextBody);
        Assert.Contains($"newsletter schedule runs {schedule.Id}", mail.TextBody);
        Assert.Contains("http://127.0.0.1:5000/admin/schedules", mail.TextBody);
        Assert.Contains(app.Log.Warnings, line => line.StartsWith(subject, StringComparison.Ordinal));
        // The query by which UnmailedAlertTests finds that no mail job was made finds this one.
        Assert.NotEqual(0L, await app.ScalarAsync<long>("SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%AlertMailJob%'"));
    }

    [Fact]
    public async Task SendSlowerThanTwiceItsFirstEstimateMailsTheOperatorOnce()
    {
        // Every other reader is deferred for an hour: the send stays sending with half of it left.
        app.Smtp.RecipientRule = (address, _) => address.StartsWith(_tag, StringComparison.Ordinal) && Number(address) % 2 == 1
            ? new SmtpResponse(SmtpReplyCode.MailboxUnavailable - 100, "4.3.2 Try again later")
            : null;
        var list = await app.CreateListAsync(_tag);
        await app.Audience.SubscribeManyAsync($"{_tag}-", 10, list);
        var send = await app.Scheduler.ScheduleAsync(await app.StoreSampleIssueAsync(), [_tag], at: null);
        await WaitForLedgerAsync(send.Id, "pending=5 sent=5");
        var estimate = () => app.ScalarAsync<double>(
            "SELECT coalesce((SELECT expected_seconds FROM send_estimates WHERE send_id = @id), 0)", new { id = send.Id });
        var backdate = (int minutes) => app.ScalarAsync<long>(
            "UPDATE sends SET first_sent_at = first_sent_at - make_interval(mins => @minutes) WHERE id = @id RETURNING id",
            new { minutes, id = send.Id });

        // Too early to judge the rate: no estimate yet.
        await app.Watcher.RunAsync(CancellationToken.None);
        Assert.Equal(0, await estimate());

        // Two minutes in with half sent: about two more minutes to go, four in all.
        await backdate(2);
        await app.Watcher.RunAsync(CancellationToken.None);
        Assert.InRange(await estimate(), 200, 300);
        await app.Watcher.RunAsync(CancellationToken.None);
        Assert.Equal(0L, await app.AlertsAsync($"send {send.Id} is slower than its estimate"));

        // Twelve minutes in: three times the estimate.
        await backdate(10);
        await app.Watcher.RunAsync(CancellationToken.None);
        await app.Watcher.RunAsync(CancellationToken.None);

        var subject = $"Newsletter alert: send {send.Id} is slower than its estimate";
        var mail = await app.Smtp.MailToAsync(AlertsTestApp.Operator, subject);
        Assert.NotNull(mail);
        Assert.Contains("Sent 5, still to go 5", mail.TextBody);
        Assert.Contains($"newsletter sends show {send.Id}", mail.TextBody);
        Assert.Contains(app.Log.Warnings, line => line.StartsWith(subject, StringComparison.Ordinal));
        Assert.Equal(1L, await app.AlertsAsync($"send {send.Id} is slower than its estimate"));
        Assert.Single(app.Smtp.Messages, m => m.Subject == subject);
        await app.Scheduler.CancelAsync(send.Id);
    }

    private static int Number(string address) => int.Parse(address[(address.IndexOf('-') + 1)..address.IndexOf('@')]);

    private async Task WaitForLedgerAsync(long sendId, string ledger)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await app.LedgerAsync(sendId) is var now && now != ledger)
        {
            Assert.True(DateTime.UtcNow < deadline, $"ledger is {now}, not {ledger}");
            await Task.Delay(100);
        }
    }
}
