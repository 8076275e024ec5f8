using Newsletter.Sending;
using Newsletter.Tests.Infrastructure;

namespace Newsletter.Tests.Sending;

/// <summary>
/// A relay that turns connections away, hangs up mid-message or stops answering: the send waits it out
/// (reconnecting, or through Hangfire's retry of the batch) and finishes with every reader sent once,
/// nobody failed and nobody suppressed.
/// </summary>
public sealed class ConnectionFaultTests(FaultyRelayTestApp app) : IClassFixture<FaultyRelayTestApp>, IDisposable
{
    private readonly string _tag = "c" + Guid.NewGuid().ToString("N")[..6];

    public void Dispose() => app.Relay.Misbehave(PeerFault.None);

    [Theory]
    [InlineData(PeerFault.Greet421, 2)]
    [InlineData(PeerFault.Silent, 2)]
    [InlineData(PeerFault.DropMidData, 3)]
    [InlineData(PeerFault.StallAfterData, 2)]
    public async Task SendWaitsOutTheFaultAndDeliversEveryoneOnce(PeerFault fault, int connections)
    {
        // Pooled connections of an earlier test would never meet the fault: make the next ones new.
        app.Relay.CloseAll();
        app.Relay.Misbehave(fault, connections);

        var sendId = await app.SendToNewListAsync(_tag, 12);
        await app.WaitForStatusAsync(sendId, SendStatus.Finished);

        Assert.Equal(connections, app.Relay.Faulted);
        Assert.Equal("sent=12", await app.LedgerAsync(sendId));
        Assert.Equal((12, 1), app.DeliveredTo(_tag));
        Assert.Equal(0L, await app.SuppressedAsync(_tag));
    }
}
