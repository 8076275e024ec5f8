using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Newsletter.Operations;

/// <summary>Registers the alert watcher's recurring job when the server starts (CLI verbs never start the host).</summary>
internal sealed class AlertWatchSchedule(IRecurringJobManager recurringJobs, ILogger<AlertWatchSchedule> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            recurringJobs.AddOrUpdate<AlertWatchJob>(AlertWatchJob.RecurringId, job => job.RunAsync(CancellationToken.None), Cron.Minutely());
        }
        catch (DistributedLockTimeoutException e)
        {
            // As with the recovery job: a process that died holding the lock registered the job already.
            logger.LogWarning(e, "Alert watcher left as it was: its lock is held, most likely by a process that died");
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
