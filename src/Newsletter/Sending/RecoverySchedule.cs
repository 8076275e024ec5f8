using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;

namespace Newsletter.Sending;

/// <summary>
/// Registers the recurring recovery job when the server starts (CLI verbs never start the host), and
/// runs it once at once: a server restarted after a crash picks up the orphaned send without waiting.
/// </summary>
internal sealed class RecoverySchedule(
    IRecurringJobManager recurringJobs, IBackgroundJobClient jobs, IOptions<SendingOptions> sending, ILogger<RecoverySchedule> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            recurringJobs.AddOrUpdate<RecoverDeliveriesJob>(RecoverDeliveriesJob.RecurringId, job => job.RunAsync(CancellationToken.None),
                Cadence(sending.Value.LeaseSeconds));
        }
        catch (DistributedLockTimeoutException e)
        {
            // A process killed while it held the job's lock (Hangfire takes it at every trigger) leaves it for a
            // minute, and the start that waited for it failed: after a crash the restart exited too. The job is
            // registered already (the dead process triggered it), so this start goes on without rewriting it.
            logger.LogWarning(e, "Recovery job left as it was: its lock is held, most likely by a process that died");
        }
        jobs.Enqueue<RecoverDeliveriesJob>(job => job.RunAsync(CancellationToken.None));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Every minute, or every lease when the lease is shorter: rows left by a batch that died (its process
    /// killed, or its database gone mid-flush) are back within two leases. Swept only once a minute, a 5 s
    /// lease still left them waiting up to 65 s, and a send whose rows were all in hand stood still that long.
    /// </summary>
    internal static string Cadence(int leaseSeconds)
    {
        if (leaseSeconds >= 60)
            return Cron.Minutely();
        // A step of seconds repeats evenly only when it divides 60; the lease is at least 5 (SendingOptions).
        return $"*/{new[] { 5, 6, 10, 12, 15, 20, 30 }.Last(s => s <= leaseSeconds)} * * * * *";
    }
}
