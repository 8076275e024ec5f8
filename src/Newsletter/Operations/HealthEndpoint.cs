using System.Diagnostics;
using System.Net.Sockets;
using Hangfire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;
using Npgsql;

namespace Newsletter.Operations;

/// <summary>
/// <c>GET /healthz</c>: database, Hangfire and SMTP reachability. Only the database decides the status
/// code; a relay that is down delays mail (deliveries wait and retry) but does not make us unhealthy.
/// </summary>
public static class HealthEndpoint
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", async (NpgsqlDataSource database, JobStorage jobs, IOptions<SmtpOptions> smtp,
            CancellationToken cancellationToken) =>
        {
            var databaseStatus = await ProbeAsync(async ct =>
            {
                await using var command = database.CreateCommand("SELECT 1");
                await command.ExecuteScalarAsync(ct);
                return "ok";
            }, cancellationToken);
            var hangfireStatus = await ProbeAsync(_ =>
            {
                var servers = jobs.GetMonitoringApi().Servers().Count;
                return Task.FromResult(servers > 0 ? $"ok ({servers} servers)" : "ok (no server running)");
            }, cancellationToken);
            var smtpStatus = await ProbeAsync(async ct =>
            {
                using var client = new TcpClient();
                await client.ConnectAsync(smtp.Value.Host, smtp.Value.Port, ct);
                return "ok";
            }, cancellationToken);

            var healthy = databaseStatus == "ok";
            return Results.Json(
                new { status = healthy ? "ok" : "unhealthy", database = databaseStatus, hangfire = hangfireStatus, smtp = smtpStatus },
                statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        return endpoints;
    }

    private static async Task<string> ProbeAsync(Func<CancellationToken, Task<string>> probe, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        var clock = Stopwatch.StartNew();
        try
        {
            return await probe(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"error: no answer within {clock.Elapsed.TotalSeconds:0.#} s";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return $"error: {e.Message}";
        }
    }
}
