using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Newsletter.Operations;

/// <summary>The latest result of the background probes (relay, Hangfire), which <c>/healthz</c> answers from.</summary>
public sealed class LastHealthReport : IHealthCheckPublisher
{
    private volatile Probed? _last;

    /// <summary>Null until the first probe has finished.</summary>
    public HealthReport? Report => _last?.Report;

    /// <summary>When <see cref="Report"/> was made (UTC).</summary>
    public DateTime? At => _last?.At;

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        _last = new Probed(report, DateTime.UtcNow);
        return Task.CompletedTask;
    }

    private sealed record Probed(HealthReport Report, DateTime At);
}
