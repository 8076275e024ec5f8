using Hangfire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;

namespace Newsletter.Bounces;

/// <summary>
/// Registers the mailbox reading when the server starts and a mailbox is configured; removes it when the
/// configuration no longer names one, so an old schedule does not keep failing.
/// </summary>
internal sealed class BounceMailboxSchedule(IRecurringJobManager recurringJobs, IOptions<BouncesOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var mailbox = options.Value.Mailbox;
        if (mailbox.Host is null)
        {
            recurringJobs.RemoveIfExists(ReadBounceMailboxJob.RecurringJobId);
            return Task.CompletedTask;
        }
        var cron = mailbox.IntervalMinutes >= 60 ? Cron.Hourly() : $"*/{mailbox.IntervalMinutes} * * * *";
        recurringJobs.AddOrUpdate<ReadBounceMailboxJob>(ReadBounceMailboxJob.RecurringJobId,
            job => job.RunAsync(CancellationToken.None), cron);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
