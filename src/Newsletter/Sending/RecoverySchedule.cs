using Hangfire;
using Microsoft.Extensions.Hosting;

namespace Newsletter.Sending;

/// <summary>
/// Registers the recurring recovery job when the server starts (CLI verbs never start the host), and
/// runs it once at once: a server restarted after a crash picks up the orphaned send without waiting.
/// </summary>
internal sealed class RecoverySchedule(IRecurringJobManager recurringJobs, IBackgroundJobClient jobs) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurringJobs.AddOrUpdate<RecoverDeliveriesJob>(RecoverDeliveriesJob.RecurringId, job => job.RunAsync(CancellationToken.None), Cron.Minutely());
        jobs.Enqueue<RecoverDeliveriesJob>(job => job.RunAsync(CancellationToken.None));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
