using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Newsletter.Scheduling;
using Newsletter.Sending;
using SmtpServer.Protocol;

namespace Newsletter.Tests.Sending;

/// <summary>A send paced at 40 messages a second, so tests can act on it while it runs.</summary>
public sealed class ThrottledSendingTestApp : SendingTestApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        base.Settings.Concat([
            new("Newsletter:Smtp:MessagesPerSecond", "40"),
            new("Newsletter:Sending:PauseAfterConsecutiveFailures", "12"),
        ]);
}

public sealed class SendControlTests(ThrottledSendingTestApp app) : IClassFixture<ThrottledSendingTestApp>
{
    [Fact]
    public async Task PausedSendStopsWithinAFlushAndResumedSendFinishesWithEveryRecipientOnce()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var list = await app.CreateListAsync($"pause-{tag}");
        await app.Audience.SubscribeManyAsync($"pause-{tag}-", 200, list);
        var send = await app.Scheduler.ScheduleAsync(await app.StoreSampleIssueAsync(), [$"pause-{tag}"], at: null);
        await WaitForMessagesAsync(send.Id, 20);

        Assert.True(await app.Scheduler.PauseAsync(send.Id));
        await Task.Delay(1500);
        var whilePaused = Received(send.Id).Count;
        await Task.Delay(1500);

        Assert.Equal(whilePaused, Received(send.Id).Count);
        Assert.True(whilePaused < 200);
        Assert.Equal(0L, await app.ScalarAsync<long>(
            "SELECT count(*) FROM deliveries WHERE send_id = @id AND status = 'sending'", new { id = send.Id }));

        Assert.True(await app.Scheduler.ResumeAsync(send.Id));
        await app.WaitForStatusAsync(send.Id, SendStatus.Finished);
        var received = Received(send.Id);
        Assert.Equal(200, received.Count);
        Assert.All(received, pair => Assert.Equal(1, pair.Value));
    }

    [Fact]
    public async Task CancelledSendSendsNoMore()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var list = await app.CreateListAsync($"cancel-{tag}");
        await app.Audience.SubscribeManyAsync($"cancel-{tag}-", 200, list);
        var send = await app.Scheduler.ScheduleAsync(await app.StoreSampleIssueAsync(), [$"cancel-{tag}"], at: null);
        await WaitForMessagesAsync(send.Id, 10);

        Assert.True(await app.Scheduler.CancelAsync(send.Id));
        await Task.Delay(1500);
        var afterCancel = Received(send.Id).Count;
        await Task.Delay(1500);

        Assert.Equal(afterCancel, Received(send.Id).Count);
        Assert.False(await app.Scheduler.ResumeAsync(send.Id));
        Assert.Equal(SendStatus.Cancelled, (await app.Sends.GetSendAsync(send.Id))!.Status);
    }

    [Fact]
    public async Task RelayRefusingEveryoneMakesTheSendPauseItselfAndSayWhy()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var list = await app.CreateListAsync($"refused-{tag}");
        await app.Audience.SubscribeManyAsync($"refused-{tag}-", 60, list);
        app.Smtp.RecipientRule = (address, _) => address.StartsWith($"refused-{tag}-")
            ? new SmtpResponse(SmtpReplyCode.MailboxUnavailable - 100, "4.3.2 System not accepting messages")
            : null;
        try
        {
            var send = await app.Scheduler.ScheduleAsync(await app.StoreSampleIssueAsync(), [$"refused-{tag}"], at: null);
            var paused = await app.WaitForStatusAsync(send.Id, SendStatus.Paused);

            Assert.Contains("in a row failed", paused.StatusReason);
            Assert.Contains("4.3.2", paused.StatusReason);
            Assert.True(await app.ScalarAsync<long>(
                "SELECT count(*) FROM deliveries WHERE send_id = @id AND status = 'pending'", new { id = send.Id }) > 0);
        }
        finally
        {
            app.Smtp.RecipientRule = null;
        }
    }

    [Fact]
    public async Task TestCopyIsNotStuckBehindABulkSend()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var list = await app.CreateListAsync($"busy-{tag}");
        await app.Audience.SubscribeManyAsync($"busy-{tag}-", 400, list);
        var issueId = await app.StoreSampleIssueAsync();
        var bulk = await app.Scheduler.ScheduleAsync(issueId, [$"busy-{tag}"], at: null);
        await WaitForMessagesAsync(bulk.Id, 10);

        app.Services.GetRequiredService<TestSends>().Enqueue(issueId, $"author-{tag}@example.com");
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!app.Smtp.Messages.Any(m => m.To.Mailboxes.Single().Address == $"author-{tag}@example.com"))
        {
            Assert.True(DateTime.UtcNow < deadline, "the test copy waited behind the bulk send");
            await Task.Delay(50);
        }

        var copy = app.Smtp.Messages.Single(m => m.To.Mailboxes.Single().Address == $"author-{tag}@example.com");
        // The copy is the subscribers' message, subject included (PreviewIsWhatIsSentTests compares the rest).
        Assert.Equal(app.Smtp.Messages.First(m => m.To.Mailboxes.Single().Address.StartsWith($"busy-{tag}-")).Subject, copy.Subject);
        Assert.Equal(SendStatus.Sending, (await app.Sends.GetSendAsync(bulk.Id))!.Status);
        await app.Scheduler.CancelAsync(bulk.Id);
    }

    [Fact]
    public async Task ServerStartWritesAStoredScheduleBackIntoHangfire()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        await app.CreateListAsync($"restart-{tag}");
        var schedule = await app.Services.GetRequiredService<WeeklySchedules>()
            .CreateAsync([$"restart-{tag}"], "monday", "07:15", "America/New_York");
        app.Services.GetRequiredService<IRecurringJobManager>().RemoveIfExists(schedule.Id);

        await app.Services.GetServices<IHostedService>().OfType<ScheduleRegistration>().Single().StartAsync(CancellationToken.None);

        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        var recurring = connection.GetRecurringJobs([schedule.Id]).Single();
        Assert.False(recurring.Removed);
        Assert.Equal("15 7 * * 1", recurring.Cron);
        Assert.Equal("America/New_York", recurring.TimeZoneId);
        Assert.Equal(nameof(WeeklyScheduleJob.RunAsync), recurring.Job.Method.Name);
    }

    [Fact]
    public async Task WeeklyScheduleSendsTheOldestReadyIssueOnceAndRecordsWhenNoneIsReady()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var list = await app.CreateListAsync($"weekly-{tag}");
        await app.SubscribeAsync($"weekly-{tag}@example.com", list);
        var schedule = await app.Services.GetRequiredService<WeeklySchedules>()
            .CreateAsync([$"weekly-{tag}"], "thursday", "08:30", "Europe/Berlin");

        using (var connection = app.Services.GetRequiredService<JobStorage>().GetConnection())
        {
            var recurring = connection.GetRecurringJobs([schedule.Id]).Single();
            Assert.Equal("30 8 * * 4", recurring.Cron);
            Assert.Equal("Europe/Berlin", recurring.TimeZoneId);
        }

        var job = app.Services.GetRequiredService<WeeklyScheduleJob>();
        var issueId = await app.StoreSampleIssueAsync();
        var slug = (await app.Issues.GetIssueAsync(issueId)).Slug;
        await app.ScalarAsync<long>("UPDATE issues SET ready_at = NULL WHERE id = @issueId RETURNING id", new { issueId });
        await job.RunAsync(schedule.Id, CancellationToken.None);
        Assert.True(await app.Issues.MarkReadyAsync(slug));
        await job.RunAsync(schedule.Id, CancellationToken.None);
        await job.RunAsync(schedule.Id, CancellationToken.None);

        var runs = await app.Services.GetRequiredService<ScheduleStore>().LastRunsAsync(schedule.Id, 10);
        Assert.Equal(3, runs.Count);
        Assert.Single(runs, r => r.SendId is not null);
        Assert.Equal(2, runs.Count(r => r.Outcome.StartsWith("no issue was ready")));
        var sendId = runs.Single(r => r.SendId is not null).SendId!.Value;
        await app.WaitForStatusAsync(sendId, SendStatus.Finished);
    }

    [Fact]
    public async Task WeeklyScheduleRefusesUnknownDayTimeOrZone()
    {
        var schedules = app.Services.GetRequiredService<WeeklySchedules>();

        await Assert.ThrowsAsync<SendRequestException>(() => schedules.CreateAsync(["x"], "someday", "08:30", "UTC"));
        await Assert.ThrowsAsync<SendRequestException>(() => schedules.CreateAsync(["x"], "monday", "25:00", "UTC"));
        var zone = await Assert.ThrowsAsync<SendRequestException>(() => schedules.CreateAsync(["x"], "monday", "08:30", "Mars/Olympus"));
        Assert.Contains("Mars/Olympus", zone.Message);
    }

    private Dictionary<string, int> Received(long sendId) => app.Smtp.Messages
        .Where(m => m.MessageId?.StartsWith($"send{sendId}.") == true)
        .GroupBy(m => m.MessageId!)
        .ToDictionary(g => g.Key, g => g.Count());

    private async Task WaitForMessagesAsync(long sendId, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Received(sendId).Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"send {sendId} did not get {count} messages out");
            await Task.Delay(50);
        }
    }
}
