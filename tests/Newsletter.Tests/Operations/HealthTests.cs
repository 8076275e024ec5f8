using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Newsletter.Tests.Infrastructure;

namespace Newsletter.Tests.Operations;

/// <summary>The app with its relay at a <see cref="CountingRelay"/> and the background probes every second.</summary>
public sealed class HealthTestApp : TestApp, IAsyncLifetime
{
    public const int ProbeSeconds = 1;

    public CountingRelay Relay { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Newsletter:Smtp:Port", Relay.Port.ToString()),
        new("Newsletter:Health:ProbeSeconds", ProbeSeconds.ToString()),
    ];

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Relay.DisposeAsync();
    }
}

public sealed class HealthTests(HealthTestApp app) : IClassFixture<HealthTestApp>
{
    [Fact]
    public async Task AnonymousLoadOpensAtMostOneRelayConnectionPerProbeInterval()
    {
        using var client = app.CreateClient();
        await WaitForStatusAsync(client, "ok");
        var before = app.Relay.Connections;
        var clock = Stopwatch.StartNew();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            var codes = new List<HttpStatusCode>();
            for (var i = 0; i < 25; i++)
                codes.Add((await client.GetAsync("/healthz")).StatusCode);
            return codes;
        }));
        var elapsedIntervals = clock.Elapsed.TotalSeconds / HealthTestApp.ProbeSeconds;
        var opened = app.Relay.Connections - before;

        Assert.All(responses.SelectMany(codes => codes), code => Assert.Equal(HttpStatusCode.OK, code));
        Assert.InRange(opened, 0, (int)Math.Ceiling(elapsedIntervals) + 1);
    }

    [Fact]
    public async Task AnonymousCallerGetsEachPartsStatusAndNothingElse()
    {
        using var client = app.CreateClient();
        var body = await WaitForStatusAsync(client, "ok");

        Assert.Equal(["checks", "status"], body.RootElement.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(new Dictionary<string, string> { ["database"] = "ok", ["relay"] = "ok", ["hangfire"] = "ok" },
            body.RootElement.GetProperty("checks").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!));
    }

    [Fact]
    public async Task SignedInAdminSeesWhatEachPartFound()
    {
        using var client = app.CreateClient();
        await TestApp.LogInAsync(client, TestApp.AdminUser, TestApp.AdminPassword);

        var body = await WaitForStatusAsync(client, "ok");
        var detail = body.RootElement.GetProperty("detail");

        Assert.Contains($"127.0.0.1:{app.Relay.Port}", detail.GetProperty("relay").GetProperty("description").GetString());
        Assert.Contains("server", detail.GetProperty("hangfire").GetProperty("description").GetString());
    }

    [Fact]
    public async Task RelayDownIsReportedWithinTheIntervalWithItsCauseOnlyToOperators()
    {
        using var anonymous = app.CreateClient();
        using var ops = app.CreateClient();
        await TestApp.LogInAsync(ops, TestApp.OpsUser, TestApp.OpsPassword);
        await WaitForStatusAsync(anonymous, "ok");

        await app.Relay.StopAsync();
        try
        {
            // One probe interval, and the probe's own timeout, at most; a refused connection fails at once.
            var down = await WaitForStatusAsync(anonymous, "unhealthy", TimeSpan.FromSeconds(HealthTestApp.ProbeSeconds + 2));
            var response = await anonymous.GetAsync("/healthz");
            var anonymousText = await response.Content.ReadAsStringAsync();
            var opsText = await (await ops.GetAsync("/healthz")).Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("failing", down.RootElement.GetProperty("checks").GetProperty("relay").GetString());
            Assert.Equal("ok", down.RootElement.GetProperty("checks").GetProperty("database").GetString());
            foreach (var secret in new[] { "127.0.0.1", app.Relay.Port.ToString(), "Exception", "refused", TestApp.AdminUser, TestApp.OpsUser })
                Assert.DoesNotContain(secret, anonymousText, StringComparison.OrdinalIgnoreCase);
            using var opsBody = JsonDocument.Parse(opsText);
            var relay = opsBody.RootElement.GetProperty("detail").GetProperty("relay");
            Assert.Contains($"127.0.0.1:{app.Relay.Port}", relay.GetProperty("description").GetString());
            Assert.Contains("SocketException", relay.GetProperty("error").GetString());
        }
        finally
        {
            app.Relay.Start();
        }
        await WaitForStatusAsync(anonymous, "ok");
    }

    /// <summary>Polls <c>/healthz</c> until its overall status is <paramref name="status"/>.</summary>
    private static async Task<JsonDocument> WaitForStatusAsync(HttpClient client, string status, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var body = JsonDocument.Parse(await (await client.GetAsync("/healthz")).Content.ReadAsStringAsync());
            if (body.RootElement.GetProperty("status").GetString() == status)
                return body;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"/healthz did not report {status}: {body.RootElement}");
            body.Dispose();
            await Task.Delay(50);
        }
    }
}
