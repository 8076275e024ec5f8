using Microsoft.Extensions.DependencyInjection;
using Newsletter.Sending;
using Newsletter.Subscribers;

namespace Newsletter.Tests.Sending;

/// <summary>One connection at 10 messages a second, and a batch that claims the whole list at once.</summary>
public sealed class SlowSingleBatchTestApp : SendingTestApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        base.Settings.Concat([
            new("Newsletter:Smtp:MessagesPerSecond", "10"),
            new("Newsletter:Smtp:PoolSize", "1"),
            new("Newsletter:Sending:BatchSize", "50"),
        ]);
}

/// <summary>
/// A reader who unsubscribes, or is suppressed, while their row is already claimed by a batch gets no mail:
/// the batch checks every message against the consent log the outcome writer reads at each flush.
/// </summary>
public sealed class ConsentDuringSendTests(SlowSingleBatchTestApp app) : IClassFixture<SlowSingleBatchTestApp>
{
    [Fact]
    public async Task ReadersWhoOptOutAfterTheirRowWasClaimedAreSkipped()
    {
        const int recipients = 40;
        var tag = "c" + Guid.NewGuid().ToString("N")[..6];
        var list = await app.CreateListAsync(tag);
        await app.Audience.SubscribeManyAsync($"{tag}-", recipients, list);
        var send = await app.Scheduler.ScheduleAsync(await app.StoreSampleIssueAsync(), [tag], at: null);
        await app.Smtp.WaitForAsync(3);

        // The last ten readers: claimed with the rest (one batch of 50), sent in subscriber order, so not sent yet.
        var last = (await app.Audience.QueryAsync<(long Id, string Email)>(
            "SELECT s.id, s.email FROM subscribers s JOIN deliveries d ON d.subscriber_id = s.id " +
            "WHERE d.send_id = @sendId AND d.status = 'sending' ORDER BY s.id DESC LIMIT 10", new { sendId = send.Id })).ToArray();
        Assert.Equal(10, last.Length);
        var subscribers = app.Services.GetRequiredService<SubscriberStore>();
        foreach (var (id, _) in last[..5])
            Assert.True(await subscribers.UnsubscribeAsync(id, list, new ConsentContext("one-click")));
        foreach (var (_, email) in last[5..])
            await subscribers.SuppressAsync(email, "manual", "test", source: "admin");

        await app.WaitForStatusAsync(send.Id, SendStatus.Finished);
        var received = app.Smtp.Messages.SelectMany(m => m.To.Mailboxes).Select(m => m.Address).ToHashSet();
        Assert.Equal(recipients - 10, received.Count(a => a.StartsWith($"{tag}-")));
        Assert.All(last, reader => Assert.DoesNotContain(reader.Email, received));
        Assert.Equal("sent=30 skipped=10", await app.LedgerAsync(send.Id));
        Assert.Equal(10, await app.ScalarAsync<long>(
            "SELECT count(*) FROM deliveries WHERE send_id = @sendId AND status = 'skipped' " +
            "AND last_error = 'unsubscribed or suppressed after the send started'", new { sendId = send.Id }));
    }
}
