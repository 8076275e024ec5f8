using Hangfire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Configuration;
using Newsletter.Jobs;

namespace Newsletter.Bounces;

/// <summary>
/// Recurring: reads the bounce mailbox, records each bounce and complaint, and moves (IMAP) or deletes (POP3)
/// what it handled. What it cannot read stays in the mailbox for a person to look at, counted in the log.
/// Safe to run twice: a report recorded before counts once.
/// </summary>
public sealed class ReadBounceMailboxJob(
    BounceClassifier classifier, BounceRecorder recorder, IOptions<BouncesOptions> options, ILogger<ReadBounceMailboxJob> logger)
{
    public const string RecurringJobId = "bounces-read-mailbox";

    [Queue(JobQueues.Default)]
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        var reading = await ReadAsync(cancellationToken).ConfigureAwait(false);
        if (reading.Unreadable > 0)
            logger.LogWarning("Bounce mailbox: {Unreadable} messages could not be read as bounces and were left in place", reading.Unreadable);
        logger.LogInformation("Bounce mailbox: {Handled} messages handled, {Suppressed} addresses suppressed", reading.Handled, reading.Suppressed);
    }

    /// <summary>One reading of the mailbox (at most <see cref="BounceMailboxOptions.BatchSize"/> messages).</summary>
    public async Task<MailboxReading> ReadAsync(CancellationToken cancellationToken = default)
    {
        var suppressed = 0;
        async Task<bool> HandleAsync(MimeMessage message, CancellationToken token)
        {
            var report = classifier.Classify(message);
            if (report.Kind == BounceKind.Unreadable)
                return false;
            if (report.Kind != BounceKind.NoAction)
            {
                var source = report.Kind == BounceKind.Complaint ? "complaint" : "bounce";
                if (await recorder.RecordAsync(report, source, cancellationToken: token).ConfigureAwait(false) == BounceOutcome.Suppressed)
                    suppressed++;
            }
            return true;
        }

        var (handled, left) = await new BounceMailbox(options.Value.Mailbox).ReadAsync(HandleAsync, cancellationToken).ConfigureAwait(false);
        return new MailboxReading(handled, suppressed, left);
    }
}
