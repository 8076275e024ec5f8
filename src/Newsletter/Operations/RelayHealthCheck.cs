using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;

namespace Newsletter.Operations;

/// <summary>Whether the relay accepts a TCP connection; run in the background, never per request.</summary>
public sealed class RelayHealthCheck(IOptions<SmtpOptions> smtp) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (host, port) = (smtp.Value.Host, smtp.Value.Port);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"{host}:{port} accepts connections");
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            // Mail waits and is retried while the relay is away, but none leaves: the process is not healthy.
            return HealthCheckResult.Unhealthy($"{host}:{port} does not accept connections", e);
        }
    }
}
