using Hangfire;
using Microsoft.Extensions.Logging;
using Newsletter.Jobs;

namespace Newsletter.Sending;

/// <summary>
/// Every minute (or every lease, <see cref="RecoverySchedule"/>): rows whose lease expired (their process died) go
/// back to pending, and any send that should be running but has no job (a lost Hangfire job, a restart) is picked
/// up again from our tables. Two runs at once are harmless (each statement takes a row once; a second set of
/// batch chains finds nothing to claim), so no lock: a process killed while holding one left it for a minute, and
/// every run after it queued behind it, 10 of 20 restarts of the crash benchmark waiting 50–60 s for their rows.
/// </summary>
public sealed class RecoverDeliveriesJob(
    SendStore sends, DeliveryStore deliveries, StartSendJob starter, IBackgroundJobClient jobs, ILogger<RecoverDeliveriesJob> logger)
{
    public const string RecurringId = "recover-deliveries";

    [Queue(JobQueues.Default)]
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        foreach (var sendId in await deliveries.RecoverExpiredAsync(cancellationToken))
        {
            logger.LogWarning("Send {SendId}: returned rows with an expired lease to pending", sendId);
            // The chains that held them most likely died with their process: start a full set again.
            starter.StartBatches(sendId);
        }
        foreach (var sendId in await sends.DueScheduledSendsAsync(cancellationToken))
        {
            logger.LogWarning("Send {SendId} was due but not started; starting it", sendId);
            jobs.Enqueue<StartSendJob>(job => job.RunAsync(sendId, CancellationToken.None));
        }
        foreach (var sendId in await sends.StalledSendsAsync(cancellationToken))
            starter.StartBatches(sendId);
    }
}
