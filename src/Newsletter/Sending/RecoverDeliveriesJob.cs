using Hangfire;
using Microsoft.Extensions.Logging;
using Newsletter.Jobs;

namespace Newsletter.Sending;

/// <summary>
/// Every minute: rows whose lease expired (their process died) go back to pending, and any send that
/// should be running but has no job (a lost Hangfire job, a restart) is picked up again from our tables.
/// </summary>
public sealed class RecoverDeliveriesJob(
    SendStore sends, DeliveryStore deliveries, StartSendJob starter, IBackgroundJobClient jobs, ILogger<RecoverDeliveriesJob> logger)
{
    public const string RecurringId = "recover-deliveries";

    [Queue(JobQueues.Default)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
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
