using Newsletter.Sending;
using Newsletter.Tests.Infrastructure;

namespace Newsletter.Tests.Sending;

/// <summary>The app set to start TLS on a relay whose STARTTLS answer is followed by plain text, or that offers none.</summary>
public sealed class StartTlsRelayTestApp : FaultyRelayTestApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        base.Settings.Append(new("Newsletter:Smtp:Security", "StartTls"));
}

/// <summary>The app set to speak TLS from the first byte to a relay that speaks plain SMTP.</summary>
public sealed class SslOnConnectRelayTestApp : FaultyRelayTestApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        base.Settings.Append(new("Newsletter:Smtp:Security", "SslOnConnect"));
}

/// <summary>
/// TLS that cannot be set up is a setting to fix, not a reader's fault: the send retries a few times, then
/// pauses saying what is wrong, with every reader still to go and nobody failed or suppressed.
/// </summary>
public sealed class StartTlsFaultTests(StartTlsRelayTestApp app) : IClassFixture<StartTlsRelayTestApp>, IDisposable
{
    private readonly string _tag = "t" + Guid.NewGuid().ToString("N")[..6];

    public void Dispose()
    {
        app.Relay.Misbehave(PeerFault.None);
        app.Relay.OffersStartTls = false;
    }

    [Fact]
    public async Task GarbageAfterStartTlsPausesTheSendNamingTls()
    {
        app.Relay.OffersStartTls = true;
        app.Relay.Misbehave(PeerFault.GarbageTls);

        var sendId = await app.SendToNewListAsync(_tag, 8);
        var paused = await app.WaitForStatusAsync(sendId, SendStatus.Paused);

        Assert.Contains("TLS", paused.StatusReason);
        Assert.True(app.Relay.Faulted > 1, $"{app.Relay.Faulted} attempt(s): no retry");
        Assert.Equal("pending=8", await app.LedgerAsync(sendId));
        Assert.Equal(0L, await app.SuppressedAsync(_tag));
    }

    [Fact]
    public async Task RelayWithoutStartTlsPausesTheSendNamingStartTls()
    {
        var before = app.Relay.Connections;
        var sendId = await app.SendToNewListAsync(_tag, 8);
        var paused = await app.WaitForStatusAsync(sendId, SendStatus.Paused);

        Assert.Contains("STARTTLS", paused.StatusReason);
        Assert.True(app.Relay.Connections - before > 1, $"{app.Relay.Connections - before} attempt(s): no retry");
        Assert.Equal("pending=8", await app.LedgerAsync(sendId));
        Assert.Equal(0L, await app.SuppressedAsync(_tag));
    }
}

public sealed class SslOnConnectFaultTests(SslOnConnectRelayTestApp app) : IClassFixture<SslOnConnectRelayTestApp>
{
    [Fact]
    public async Task PlainTextRelayPausesTheSendNamingTls()
    {
        var tag = "s" + Guid.NewGuid().ToString("N")[..6];
        var sendId = await app.SendToNewListAsync(tag, 8);
        var paused = await app.WaitForStatusAsync(sendId, SendStatus.Paused);

        Assert.Contains("TLS", paused.StatusReason);
        Assert.True(app.Relay.Connections > 1, $"{app.Relay.Connections} attempt(s): no retry");
        Assert.Equal("pending=8", await app.LedgerAsync(sendId));
        Assert.Equal(0L, await app.SuppressedAsync(tag));
    }
}

/// <summary>Security Auto with a relay password, to a relay that offers AUTH but no STARTTLS.</summary>
public sealed class AutoTlsWithCredentialsRelayTestApp : FaultyRelayTestApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        base.Settings.Concat([
            new("Newsletter:Smtp:Security", "Auto"),
            new("Newsletter:Smtp:User", "mailer"),
            new("Newsletter:Smtp:Password", "hunter2"),
        ]);
}

/// <summary>Auto never lets the password go in clear: without STARTTLS the send pauses instead.</summary>
public sealed class AutoTlsWithCredentialsFaultTests(AutoTlsWithCredentialsRelayTestApp app) : IClassFixture<AutoTlsWithCredentialsRelayTestApp>
{
    [Fact]
    public async Task RelayWithoutStartTlsNeverGetsThePassword()
    {
        app.Relay.OffersAuth = true;
        var tag = "a" + Guid.NewGuid().ToString("N")[..6];
        var sendId = await app.SendToNewListAsync(tag, 4);
        var paused = await app.WaitForStatusAsync(sendId, SendStatus.Paused);

        Assert.Contains("STARTTLS", paused.StatusReason);
        Assert.Equal(0, app.Relay.AuthAttempts);
        Assert.Equal("pending=4", await app.LedgerAsync(sendId));
        Assert.Equal((0, 0), app.DeliveredTo(tag));
    }
}
