using Newsletter.Sending;
using Newsletter.SmtpSink;

namespace Newsletter.Tests.Sending;

/// <summary>The app sending to a relay that hangs up in the middle of every tenth DATA.</summary>
public sealed class DroppingRelayTestApp : SendingTestApp
{
    public FastSmtpSink Relay { get; } = new() { DropDuringDataEvery = 10 };

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        base.Settings.Append(new("Newsletter:Smtp:Port", Relay.Port.ToString()));
}

public sealed class DroppedConnectionTests(DroppingRelayTestApp app) : IClassFixture<DroppingRelayTestApp>
{
    [Fact]
    public async Task ConnectionsDroppedMidDataLoseNoRecipient()
    {
        var list = await app.CreateListAsync("dropped");
        await app.Audience.SubscribeManyAsync("dropped-", 150, list);

        var send = await app.Scheduler.ScheduleAsync(await app.StoreSampleIssueAsync(), ["dropped"], at: null);
        await app.WaitForStatusAsync(send.Id, SendStatus.Finished);

        Assert.True(app.Relay.Dropped >= 10, $"only {app.Relay.Dropped} drops: the test proves little");
        Assert.Equal(150, app.Relay.MessageIds.Keys.Count(id => id.StartsWith($"send{send.Id}.")));
        Assert.Equal(150L, await app.ScalarAsync<long>(
            "SELECT count(*) FROM deliveries WHERE send_id = @id AND status = 'sent'", new { id = send.Id }));
    }
}
