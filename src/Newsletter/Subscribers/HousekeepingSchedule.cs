using Hangfire;
using Microsoft.Extensions.Hosting;

namespace Newsletter.Subscribers;

/// <summary>Registers the recurring housekeeping job when the server starts (CLI verbs never start the host).</summary>
internal sealed class HousekeepingSchedule(IRecurringJobManager recurringJobs) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurringJobs.AddOrUpdate<PurgeUnconfirmedJob>(PurgeUnconfirmedJob.RecurringJobId,
            job => job.RunAsync(CancellationToken.None), Cron.Hourly());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
