using Hangfire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;
using Newsletter.Content;
using Newsletter.Issues;
using Newsletter.Jobs;
using Newsletter.Preflight;
using Newsletter.Rendering;

namespace Newsletter.Sending;

/// <summary>
/// The moment of a send: render the issue once, freeze the audience into the ledger (one statement per part),
/// and start as many batch chains as there are pooled connections. Safe to run twice.
/// </summary>
public sealed class StartSendJob(
    SendStore sends,
    IssueStore issues,
    MailRenderer renderer,
    IssueReader reader,
    IssuePreflight preflight,
    SmtpConnectionPool pool,
    SendAlerts alerts,
    IBackgroundJobClient jobs,
    JobStorage storage,
    IOptions<SendingOptions> options,
    ILogger<StartSendJob> logger)
{
    /// <summary>The send's moment: prepare it if that has not happened yet, then start its batches.</summary>
    [Queue(JobQueues.Default)]
    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(long sendId, CancellationToken cancellationToken = default)
    {
        using var sendScope = logger.BeginScope("Send {SendId}", sendId);
        var send = await sends.GetSendAsync(sendId, cancellationToken)
            ?? throw new InvalidOperationException($"Send {sendId} does not exist.");
        if (send.Status == SendStatus.Scheduled)
        {
            await PrepareAsync(send, cancellationToken);
            // Hangfire keeps schedule times in whole seconds and may fire up to a second early: never
            // send before the moment the author chose.
            var early = send.ScheduledAt - DateTime.UtcNow;
            if (early > TimeSpan.FromSeconds(5))
            {
                jobs.Schedule<StartSendJob>(job => job.RunAsync(sendId, CancellationToken.None), early);
                return;
            }
            if (early > TimeSpan.Zero)
                await Task.Delay(early, cancellationToken);
            if (await sends.StartAsync(sendId, cancellationToken))
                logger.LogInformation("Send {SendId} of {Issue} started", sendId, send.IssueSlug);
            send = (await sends.GetSendAsync(sendId, cancellationToken))!;
        }
        if (send.Status == SendStatus.Sending)
            StartBatches(sendId, send.Recipients ?? 0);
    }

    /// <summary>
    /// Ahead of the moment: render once and freeze the audience, so that at the moment only the status
    /// changes. Consent is checked again as each batch is claimed, so a reader who leaves in between is
    /// still skipped.
    /// </summary>
    [Queue(JobQueues.Default)]
    [AutomaticRetry(Attempts = 3)]
    public async Task PrepareAsync(long sendId, CancellationToken cancellationToken = default)
    {
        var send = await sends.GetSendAsync(sendId, cancellationToken)
            ?? throw new InvalidOperationException($"Send {sendId} does not exist.");
        await PrepareAsync(send, cancellationToken);
    }

    private async Task PrepareAsync(SendRecord send, CancellationToken cancellationToken = default)
    {
        if (send.PreparedAt is not null || send.Status is not (SendStatus.Scheduled or SendStatus.Paused))
            return;
        var issue = await issues.GetIssueAsync(send.IssueId, cancellationToken);
        var parsed = reader.Parse(issue.Source, issue.Slug);
        // The preflight passed when the send was made; an edit since must pass it too, or the send waits, paused.
        if (send.IssueEditedSince && send.PreflightOverride is null
            && await preflight.RunAsync(parsed, cancellationToken) is { HasFailures: true } report)
        {
            var reason = $"The issue was edited after this send was scheduled and now fails its preflight " +
                $"({string.Join(", ", report.Failures.Select(f => f.Check).Distinct())}): fix it and resume, or cancel.";
            if (await sends.TrySetStatusAsync(send.Id, SendStatus.Paused, reason, [SendStatus.Scheduled], cancellationToken))
                // The pause is stored: a retry of this job would find the send paused and never raise it.
                await alerts.PausedItselfAsync(send.Id, reason, CancellationToken.None);
            return;
        }
        var rendered = await renderer.RenderIssueAsync(parsed, cancellationToken);
        if (await sends.PrepareAsync(send.Id, rendered.Subject, rendered.Html, rendered.Text, send.ListIds, options.Value.FreezeParts, cancellationToken))
            logger.LogInformation("Send {SendId} of {Issue} prepared", send.Id, issue.Slug);
    }

    /// <summary>
    /// One chain of batch jobs per pooled connection of every process serving the bulk queue (each
    /// process has its own pool); each batch enqueues its successor.
    /// </summary>
    internal void StartBatches(long sendId, int recipients = int.MaxValue)
    {
        var bulkServers = Math.Max(1, storage.GetMonitoringApi().Servers().Count(s => s.Queues.Contains(JobQueues.Bulk)));
        var chains = Math.Clamp((int)Math.Ceiling(recipients / (double)options.Value.BatchSize), 1, pool.Size * bulkServers);
        for (var i = 0; i < chains; i++)
            jobs.Enqueue<SendBatchJob>(job => job.RunAsync(sendId, null, CancellationToken.None));
    }
}
