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
    IOptions<SendingOptions> options,
    ILogger<StartSendJob> logger)
{
    [Queue(JobQueues.Default)]
    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(long sendId, CancellationToken cancellationToken)
    {
        var send = await sends.GetSendAsync(sendId)
            ?? throw new InvalidOperationException($"Send {sendId} does not exist.");
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

    /// <summary>One chain of batch jobs per pooled connection; each batch enqueues its successor.</summary>
    internal void StartBatches(long sendId, int recipients = int.MaxValue)
    {
        var chains = Math.Clamp((int)Math.Ceiling(recipients / (double)options.Value.BatchSize), 1, pool.Size);
        for (var i = 0; i < chains; i++)
            jobs.Enqueue<SendBatchJob>(job => job.RunAsync(sendId, null, CancellationToken.None));
    }
}
