using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Newsletter.Alerts;
using Newsletter.Configuration;
using Newsletter.Jobs;
using Newsletter.Sending;

namespace Newsletter.Operations;

/// <summary>
/// Every minute, the alerts that are about a state lasting rather than an event: the relay unreachable for
/// <see cref="AlertsOptions.RelayUnreachableMinutes"/>, a send slower than its estimate. Each is alerted once per
/// outage or send (the alert's event key). Pauses and empty weekly slots are alerted where they happen.
/// </summary>
public sealed class AlertWatchJob(
    WatchStore watch, SendStore sends, DeliveryStore deliveries, SendAlerts sendAlerts, OperatorAlerts alerts,
    IOptions<SmtpOptions> smtp, IOptions<AlertsOptions> options)
{
    public const string RecurringId = "alerts-watch";

    // A rate over less than this is mostly connection set-up, or a first burst the hour's cap then holds back.
    private static readonly TimeSpan EstimateAfter = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    [Queue(JobQueues.Default)]
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        await WatchRelayAsync(cancellationToken);
        await WatchSendsAsync(cancellationToken);
    }

    /// <summary>Probes the relay as <c>/healthz</c> does (a TCP connection), and alerts once per outage that lasts.</summary>
    private async Task WatchRelayAsync(CancellationToken cancellationToken = default)
    {
        var relay = $"{smtp.Value.Host}:{smtp.Value.Port}";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        var probe = await new RelayHealthCheck(smtp).CheckHealthAsync(new HealthCheckContext(), timeout.Token);
        cancellationToken.ThrowIfCancellationRequested();
        if (probe.Status == HealthStatus.Healthy)
        {
            await watch.RelayReachableAsync(relay, cancellationToken);
            return;
        }
        var outage = await watch.RelayUnreachableAsync(relay, cancellationToken);
        var minutes = options.Value.RelayUnreachableMinutes;
        if (outage.Lasted < TimeSpan.FromMinutes(minutes))
            return;
        await alerts.RaiseAsync(new Alert($"the SMTP relay {relay} has been unreachable for {minutes} minutes",
            $"""
            The SMTP relay {relay} has not accepted a connection since {outage.Since:u}{(outage.ReachableAt is { } at ? $" (last reachable {at:u})" : "")}.
            No mail leaves meanwhile: batches retry and then pause their sends; confirmation mails wait.
            Last probe: {probe.Exception?.Message ?? probe.Description}

            Check the relay and Newsletter:Smtp:Host/Port; {alerts.Link("/healthz")} shows the relay's state. Sends that paused
            themselves meanwhile are listed by newsletter sends; resume each with newsletter sends resume ID.
            (This mail goes through that relay, so it arrives once the relay is back.)
            """, $"relay {relay} unreachable since {outage.Since:O}"), cancellationToken);
    }

    /// <summary>
    /// A send is slow when, still sending, the time since its first message exceeds SlowFactor × the duration first
    /// estimated for it. That estimate is taken at the first round that finds the send sending for at least
    /// <see cref="EstimateAfter"/> since its first message: the time taken so far plus the time left at the rate so far
    /// (<see cref="SendProgress.Eta"/>), and no less than the hourly cap (Smtp:MessagesPerHour) allows. A send that
    /// pauses loses its estimate and gets a new one after its resume, so a pause alone does not make it slow.
    /// </summary>
    private async Task WatchSendsAsync(CancellationToken cancellationToken = default)
    {
        foreach (var watched in await watch.SendingSendsAsync(cancellationToken))
        {
            var progress = await SendProgress.ReadAsync(sends, deliveries, watched.SendId, cancellationToken);
            if (progress.Send.FirstSentAt is not { } first)
                continue;
            var taken = progress.At - first;
            if (watched.ExpectedSeconds is not { } expectedSeconds)
            {
                if (taken >= EstimateAfter && progress.Eta is { } eta)
                    await watch.NoteEstimateAsync(watched.SendId, (taken + Max(eta, CappedTimeLeft(progress))).TotalSeconds, cancellationToken);
                continue;
            }
            var expected = TimeSpan.FromSeconds(expectedSeconds);
            if (taken > expected * options.Value.SlowFactor)
                await sendAlerts.SlowAsync(progress, expected, taken, options.Value.SlowFactor, cancellationToken);
        }
    }

    private TimeSpan CappedTimeLeft(SendProgress progress) => smtp.Value.MessagesPerHour is > 0 and var perHour
        ? TimeSpan.FromHours((progress.Count(DeliveryStatus.Pending) + progress.Count(DeliveryStatus.Sending)) / (double)perHour)
        : TimeSpan.Zero;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
