using Hangfire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newsletter.Content;
using Newsletter.Rendering;
using Newsletter.Scheduling;

namespace Newsletter.Sending;

/// <summary>
/// The moment of a send: render the issue once, freeze the audience into the ledger (one statement),
/// and start as many batch chains as there are pooled connections. Safe to run twice.
/// </summary>
public sealed class StartSendJob(
    SendStore sends,
    MailRenderer renderer,
    IssueReader reader,
    SmtpConnectionPool pool,
    IBackgroundJobClient jobs,
    JobStorage storage,
    IOptions<SendingOptions> options,
    ILogger<StartSendJob> logger)
{
    [Queue(JobQueues.Default)]
    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(long sendId, CancellationToken cancellationToken)
    {
        var send = await sends.GetSendAsync(sendId)
            ?? throw new InvalidOperationException($"Send {sendId} does not exist.");
        // Hangfire keeps schedule times in whole seconds and may fire up to a second early: never
        // send before the moment the author chose.
        var early = send.ScheduledAt - DateTime.UtcNow;
        if (send.Status == SendStatus.Scheduled && early > TimeSpan.Zero)
        {
            if (early > TimeSpan.FromSeconds(5))
            {
                jobs.Schedule<StartSendJob>(job => job.RunAsync(sendId, CancellationToken.None), early);
                return;
            }
            await Task.Delay(early, cancellationToken);
        }
        if (send.Status == SendStatus.Scheduled)
        {
            var issue = await sends.GetIssueAsync(send.IssueId);
            var rendered = await renderer.RenderIssueAsync(reader.Parse(issue.Source, issue.Slug), cancellationToken);
            if (!await sends.BeginAsync(sendId, rendered.Subject, rendered.Html, rendered.Text, send.ListIds))
                return;
            send = (await sends.GetSendAsync(sendId))!;
            logger.LogInformation("Send {SendId} of {Issue} started: {Recipients} recipients", sendId, issue.Slug, send.Recipients);
        }
        if (send.Status == SendStatus.Sending)
            StartBatches(sendId, send.Recipients ?? 0);
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
