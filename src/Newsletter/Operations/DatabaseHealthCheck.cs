using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Newsletter.Operations;

/// <summary>Whether the database answers; cheap enough to run on every request.</summary>
public sealed class DatabaseHealthCheck(HealthStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.PingAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("the database does not answer", e);
        }
    }
}
