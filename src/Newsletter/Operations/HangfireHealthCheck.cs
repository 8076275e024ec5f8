using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Newsletter.Operations;

/// <summary>Whether Hangfire's storage answers and a server runs the jobs; run in the background, never per request.</summary>
public sealed class HangfireHealthCheck(JobStorage storage) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var servers = storage.GetMonitoringApi().Servers();
            return Task.FromResult(servers.Count > 0
                ? HealthCheckResult.Healthy($"{servers.Count} server(s): {string.Join(", ", servers.Select(s => s.Name))}")
                : HealthCheckResult.Degraded("no Hangfire server is running: scheduled sends wait"));
        }
        catch (Exception e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Hangfire's storage does not answer", e));
        }
    }
}
