using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Newsletter.Operations;
using Newsletter.Tests.Infrastructure;

namespace Newsletter.Tests.Operations;

/// <summary>The app with its relay on a port where nothing listens until a test starts one there.</summary>
public sealed class RelayDownTestApp : TestApp
{
    public const string Operator = "ops-relay@example.com";

    public int RelayPort { get; } = FreePort();

    public TestSmtpServer? Relay { get; private set; }

    public CapturedLog Log { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Newsletter:Smtp:Port", RelayPort.ToString()),
        new("Newsletter:Alerts:Email", Operator),
    ];

    protected override void Configure(WebApplicationBuilder builder) => builder.Logging.AddProvider(Log);

    public AlertWatchJob Watcher => Services.GetRequiredService<AlertWatchJob>();

    public Task<T> ScalarAsync<T>(string sql, object? parameters = null) => new TestAudience(ConnectionString).ScalarAsync<T>(sql, parameters);

    public TestSmtpServer StartRelay() => Relay = new TestSmtpServer(RelayPort);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Relay is not null)
            await Relay.DisposeAsync();
    }
}

public sealed class RelayAlertTests(RelayDownTestApp app) : IClassFixture<RelayDownTestApp>
{
    [Fact]
    public async Task RelayUnreachableForTheConfiguredMinutesAlertsOnceAndTheMailArrivesWhenItIsBack()
    {
        var relay = $"127.0.0.1:{app.RelayPort}";
        var subject = $"the SMTP relay {relay} has been unreachable for 10 minutes";
        var alerts = () => app.ScalarAsync<long>("SELECT count(*) FROM alerts WHERE subject = @subject", new { subject });

        // The outage starts at the first failed probe; minutes later it is worth an alert, once.
        await app.Watcher.RunAsync(CancellationToken.None);
        Assert.Equal(0L, await alerts());
        await app.ScalarAsync<long>(
            "UPDATE relay_watch SET unreachable_since = unreachable_since - interval '9 minutes' WHERE relay = @relay RETURNING 1", new { relay });
        await app.Watcher.RunAsync(CancellationToken.None);
        Assert.Equal(0L, await alerts());
        await app.ScalarAsync<long>(
            "UPDATE relay_watch SET unreachable_since = unreachable_since - interval '2 minutes' WHERE relay = @relay RETURNING 1", new { relay });
        await app.Watcher.RunAsync(CancellationToken.None);
        await app.Watcher.RunAsync(CancellationToken.None);
        Assert.Equal(1L, await alerts());
        Assert.Contains(app.Log.Warnings, line => line.StartsWith("Newsletter alert: " + subject, StringComparison.Ordinal));

        // The alert mail goes through the same relay: it is retried until the relay is back.
        var back = app.StartRelay();
        var mail = await back.MailToAsync(RelayDownTestApp.Operator, "Newsletter alert: " + subject, TimeSpan.FromSeconds(60));
        Assert.NotNull(mail);
        Assert.Contains($"The SMTP relay {relay} has not accepted a connection since", mail.TextBody);
        Assert.Contains("/healthz", mail.TextBody);
        Assert.Equal(1, back.MailCount(RelayDownTestApp.Operator));

        // Reachable again: the outage is over, and a later one is a new alert.
        await app.Watcher.RunAsync(CancellationToken.None);
        Assert.Equal(1L, await app.ScalarAsync<long>(
            "SELECT count(*) FROM relay_watch WHERE relay = @relay AND unreachable_since IS NULL AND reachable_at IS NOT NULL", new { relay }));
    }
}
