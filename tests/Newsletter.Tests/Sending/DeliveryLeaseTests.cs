using Microsoft.Extensions.DependencyInjection;
using Newsletter.Sending;

namespace Newsletter.Tests.Sending;

/// <summary>
/// A relay limit so low that a batch takes twice its lease to get through its rows: only a lease kept
/// alive by time, not by progress, stops recovery from handing the rows not yet sent out again.
/// </summary>
public sealed class SlowRelaySendingTestApp : SendingTestApp
{
    public const int LeaseSeconds = 5;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        base.Settings.Concat([
            new("Newsletter:Smtp:MessagesPerSecond", "4"),
            new("Newsletter:Smtp:PoolSize", "2"),
            new("Newsletter:Sending:BatchSize", "20"),
            new("Newsletter:Sending:LeaseSeconds", LeaseSeconds.ToString()),
        ]);
}

public sealed class DeliveryLeaseTests(SlowRelaySendingTestApp app) : IClassFixture<SlowRelaySendingTestApp>
{
    [Fact]
    public async Task BatchSlowerThanItsLeaseKeepsItsRowsWhileRecoveryRunsAndNobodyGetsTwoCopies()
    {
        const int recipients = 60;
        var tag = Guid.NewGuid().ToString("N")[..6];
        var list = await app.CreateListAsync($"lease-{tag}");
        await app.Audience.SubscribeManyAsync($"lease-{tag}-", recipients, list);
        var send = await app.Scheduler.ScheduleAsync(await app.StoreSampleIssueAsync(), [$"lease-{tag}"], at: null);

        // Recovery as another process runs it, far more often than the minutely schedule.
        var recovery = app.Services.GetRequiredService<RecoverDeliveriesJob>();
        var started = DateTime.UtcNow;
        while ((await app.Sends.GetSendAsync(send.Id))!.Status is SendStatus.Scheduled or SendStatus.Sending
               && DateTime.UtcNow - started < TimeSpan.FromSeconds(60))
        {
            await recovery.RunAsync(CancellationToken.None);
            await Task.Delay(250);
        }
        var elapsed = DateTime.UtcNow - started;
        var received = app.Smtp.Messages
            .Where(m => m.MessageId?.StartsWith($"send{send.Id}.") == true)
            .GroupBy(m => m.MessageId!)
            .ToDictionary(g => g.Key, g => g.Count());

        Assert.True(SendStatus.Finished == (await app.Sends.GetSendAsync(send.Id))!.Status,
            $"send {send.Id} did not finish in {elapsed.TotalSeconds:0} s; {received.Count} recipients got " +
            $"{received.Values.Sum()} messages");
        Assert.True(elapsed > TimeSpan.FromSeconds(2 * SlowRelaySendingTestApp.LeaseSeconds),
            $"the send took {elapsed.TotalSeconds:0.0} s, less than two leases: the test proves nothing");
        Assert.Equal(recipients, received.Count);
        Assert.All(received, pair => Assert.Equal(1, pair.Value));
        Assert.Equal((long)recipients, await app.ScalarAsync<long>(
            "SELECT count(*) FROM deliveries WHERE send_id = @id AND status = 'sent'", new { id = send.Id }));
    }
}
