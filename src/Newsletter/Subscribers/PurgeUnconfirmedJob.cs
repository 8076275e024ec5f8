using Hangfire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;
using Newsletter.Jobs;

namespace Newsletter.Subscribers;

/// <summary>Recurring housekeeping: drops form sign-ups never confirmed within <see cref="SubscribersOptions.UnconfirmedMaxAgeDays"/>.</summary>
public sealed class PurgeUnconfirmedJob(SubscriberStore store, IOptions<SubscribersOptions> options, ILogger<PurgeUnconfirmedJob> logger)
{
    public const string RecurringJobId = "subscribers-purge-unconfirmed";

    [Queue(JobQueues.Default)]
    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        var days = options.Value.UnconfirmedMaxAgeDays;
        var purged = await store.PurgeUnconfirmedAsync(TimeSpan.FromDays(days), cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Dropped {Count} subscriptions left unconfirmed for more than {Days} days", purged, days);
    }
}
