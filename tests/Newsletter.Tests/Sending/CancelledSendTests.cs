using Microsoft.Extensions.DependencyInjection;
using Newsletter.Sending;
using Npgsql;

namespace Newsletter.Tests.Sending;

/// <summary>A cancelled send keeps no reader waiting: nothing pending, nothing in hand, however far it got.</summary>
public sealed class CancelledSendTests(ThrottledSendingTestApp app) : IClassFixture<ThrottledSendingTestApp>
{
    [Fact]
    public async Task CancellingMidSendLeavesNoRowPendingOrInHand()
    {
        var tag = "x" + Guid.NewGuid().ToString("N")[..6];
        var list = await app.CreateListAsync(tag);
        await app.Audience.SubscribeManyAsync($"{tag}-", 200, list);
        var send = await app.Scheduler.ScheduleAsync(await app.StoreSampleIssueAsync(), [tag], at: null);
        await WaitUntilAsync(send.Id, "status = 'sent'", n => n >= 20);

        Assert.True(await app.Scheduler.CancelAsync(send.Id));
        // Batches in flight stop at their next flush and give back what they hold.
        await WaitUntilAsync(send.Id, "status IN ('pending', 'sending')", n => n == 0);

        var sent = await Count(send.Id, "status = 'sent'");
        Assert.True(sent < 200, "the send finished before it was cancelled: the test proves nothing");
        Assert.Equal(200 - sent, await Count(send.Id, "status = 'skipped' AND last_error LIKE '%cancelled%' AND lease_until IS NULL"));
        Assert.Equal(sent, app.Smtp.Messages.Count(m => m.MessageId?.StartsWith($"send{send.Id}.") == true));
    }

    [Fact]
    public async Task FreezeThatFailedPartWayAndWasThenCancelledLeavesNoRows()
    {
        var tag = "f" + Guid.NewGuid().ToString("N")[..6];
        var list = await app.CreateListAsync(tag);
        await app.Audience.SubscribeManyAsync($"{tag}-", 40, list);
        var sendId = await app.Sends.CreateSendAsync(await app.StoreSampleIssueAsync(), [list], DateTime.UtcNow.AddHours(1), null);
        // The last reader's row breaks the part of the freeze that writes it; the other part commits.
        await Execute($"""
            CREATE FUNCTION break_{tag}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.email = '{tag}-40@example.com' THEN RAISE EXCEPTION 'freeze broken on purpose'; END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER break_{tag} BEFORE INSERT ON deliveries FOR EACH ROW EXECUTE FUNCTION break_{tag}();
            """);
        try
        {
            var broken = await Assert.ThrowsAsync<PostgresException>(() =>
                app.Services.GetRequiredService<StartSendJob>().PrepareAsync(sendId, CancellationToken.None));
            Assert.Contains("broken on purpose", broken.MessageText);
        }
        finally
        {
            await Execute($"DROP TRIGGER break_{tag} ON deliveries; DROP FUNCTION break_{tag}();");
        }
        Assert.True(await Count(sendId, "true") > 0, "no part of the freeze committed: the test proves nothing");

        Assert.True(await app.Scheduler.CancelAsync(sendId));

        Assert.Equal(0L, await Count(sendId, "true"));
        Assert.Null((await app.Sends.GetSendAsync(sendId))!.PreparedAt);
    }

    private Task<long> Count(long sendId, string condition) =>
        app.ScalarAsync<long>($"SELECT count(*) FROM deliveries WHERE send_id = @sendId AND {condition}", new { sendId });

    private async Task Execute(string sql)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task WaitUntilAsync(long sendId, string condition, Func<long, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!done(await Count(sendId, condition)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"waited in vain for rows with {condition}: {await app.LedgerAsync(sendId)}");
            await Task.Delay(100);
        }
    }
}
