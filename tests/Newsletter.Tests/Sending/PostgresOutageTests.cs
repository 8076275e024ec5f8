using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Newsletter.Sending;
using Newsletter.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Newsletter.Tests.Sending;

/// <summary><see cref="ProcessTestFixture"/> on a <see cref="PrivateCluster"/>, which its tests stop and kill.</summary>
public sealed class PostgresOutageFixture : ProcessTestFixture
{
    private PrivateCluster? _cluster;

    public PrivateCluster Cluster => _cluster ?? throw new InvalidOperationException("The fixture is not initialised.");

    protected override async Task<string> CreateDatabaseAsync()
    {
        _cluster = await PrivateCluster.StartAsync();
        return await _cluster.CreateMigratedDatabaseAsync("outage");
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_cluster is not null)
            await _cluster.DisposeAsync();
    }
}

/// <summary>
/// PostgreSQL goes away in the middle of a send in a real server process, and comes back: the process stays up,
/// says it is unhealthy meanwhile, and finishes the send by itself without losing a recipient.
/// </summary>
public sealed class PostgresOutageTests(PostgresOutageFixture fixture, ITestOutputHelper output) : IClassFixture<PostgresOutageFixture>
{
    private const int Recipients = 120;
    private const int MessagesPerSecond = 20;

    [Fact]
    public Task SendResumesByItselfAfterPostgresIsStoppedForTwentySeconds() =>
        RideOutAsync("stopped", fixture.Cluster.StopAsync, TimeSpan.FromSeconds(20));

    [Fact]
    public Task SendResumesByItselfAfterThePostmasterIsKilled() =>
        RideOutAsync("killed", fixture.Cluster.KillPostmasterAsync, TimeSpan.FromSeconds(3));

    private async Task RideOutAsync(string slug, Func<Task> fault, TimeSpan down)
    {
        var list = await fixture.Audience.CreateListAsync(slug);
        await fixture.Audience.SubscribeManyAsync(slug, Recipients, list);
        var url = $"http://127.0.0.1:{TestApp.FreePort()}";
        await using var server = ServerProcess.Run(fixture.ServerSettings(MessagesPerSecond), "serve", $"--urls={url}");
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(5) };
        var sendId = (await fixture.SendNowAsync(slug)).Id;
        await WaitUntilAsync(() => Task.FromResult(Accepted(sendId) >= 20), TimeSpan.FromSeconds(60), server, "the first 20 messages");

        var clock = Stopwatch.StartNew();
        var acceptedAtFault = Accepted(sendId);
        await fault();
        await WaitUntilAsync(async () => await HealthAsync(http) is (HttpStatusCode.ServiceUnavailable, "unhealthy"),
            TimeSpan.FromSeconds(10), server, "/healthz to say unhealthy");
        var unhealthyAt = clock.Elapsed;
        // Down for the rest of the outage: the process stays up and never calls itself healthy meanwhile.
        while (clock.Elapsed < down)
        {
            Assert.False(server.HasExited, $"the server exited while PostgreSQL was down:\n{server.Output}");
            Assert.NotEqual(HttpStatusCode.OK, (await HealthAsync(http)).Code);
            await Task.Delay(500);
        }
        var acceptedWhileDown = Accepted(sendId) - acceptedAtFault;
        await fixture.Cluster.StartAgainAsync();
        var upAt = clock.Elapsed;
        var acceptedAtUp = Accepted(sendId);
        fixture.DropPooledConnections();

        // Both by themselves, in whichever order: sending again, and /healthz saying so.
        TimeSpan? resumedAt = null, healthyAt = null;
        await WaitUntilAsync(async () =>
        {
            resumedAt ??= Accepted(sendId) > acceptedAtUp ? clock.Elapsed : null;
            healthyAt ??= await HealthAsync(http) is (HttpStatusCode.OK, "ok") ? clock.Elapsed : null;
            return resumedAt is not null && healthyAt is not null;
        }, TimeSpan.FromSeconds(20), server, "sending and /healthz ok after the restart");
        var status = await fixture.WaitForSendAsync(sendId, SendStatus.Finished, TimeSpan.FromSeconds(20));
        var finishedAt = clock.Elapsed;

        var received = fixture.Received(sendId);
        output.WriteLine($"PostgreSQL {slug} at 0 s ({acceptedAtFault} accepted); /healthz unhealthy at {unhealthyAt.TotalSeconds:0.0} s; " +
            $"{acceptedWhileDown} accepted while down; up at {upAt.TotalSeconds:0.0} s; sending again at {resumedAt!.Value.TotalSeconds:0.0} s " +
            $"(+{(resumedAt.Value - upAt).TotalSeconds:0.0} s); /healthz ok at {healthyAt!.Value.TotalSeconds:0.0} s; " +
            $"send {status.Name()} at {finishedAt.TotalSeconds:0.0} s; distinct {received.Count}/{Recipients}, duplicates {received.Values.Sum() - received.Count}");
        Assert.False(server.HasExited, $"the server exited:\n{server.Output}");
        Assert.True(status == SendStatus.Finished, $"send is {status}:\n{server.Output}");
        Assert.Equal(Recipients, received.Count);
        Assert.Equal(Recipients, await fixture.Audience.ScalarAsync<long>(
            "SELECT count(*) FROM deliveries WHERE send_id = @sendId AND status = 'sent'", new { sendId }));
    }

    private int Accepted(long sendId) => fixture.Received(sendId).Values.Sum();

    /// <summary>The status code and overall status of <c>/healthz</c>; no answer counts as (0, null).</summary>
    private static async Task<(HttpStatusCode Code, string? Status)> HealthAsync(HttpClient http)
    {
        try
        {
            using var response = await http.GetAsync("/healthz");
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return (response.StatusCode, body.RootElement.GetProperty("status").GetString());
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return (0, null);
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, ServerProcess server, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.False(server.HasExited, $"the server exited waiting for {what}:\n{server.Output}");
            Assert.True(DateTime.UtcNow < deadline, $"no {what} within {timeout.TotalSeconds} s:\n{server.Output}");
            await Task.Delay(100);
        }
    }
}
