using Hangfire;
using Microsoft.Extensions.Hosting;

namespace Newsletter.Sending;

/// <summary>Registers the recurring recovery job when the server starts (CLI verbs never start the host).</summary>
internal sealed class RecoverySchedule(IRecurringJobManager recurringJobs) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurringJobs.AddOrUpdate<RecoverDeliveriesJob>(RecoverDeliveriesJob.RecurringId, job => job.RunAsync(), Cron.Minutely());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
