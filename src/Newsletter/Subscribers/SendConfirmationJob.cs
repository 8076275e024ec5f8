using Hangfire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newsletter.Scheduling;
using Newsletter.Sending;

namespace Newsletter.Subscribers;

/// <summary>Mails the double opt-in link. Does nothing once the subscription is no longer waiting for it.</summary>
public sealed class SendConfirmationJob(
    SubscriberStore store, ConsentMails mails, TransactionalMailer mailer, IOptions<SubscribersOptions> options,
    TimeProvider clock, ILogger<SendConfirmationJob> logger)
{
    [Queue(JobQueues.Transactional)]
    [AutomaticRetry(Attempts = 8, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task RunAsync(long subscriberId, long listId, CancellationToken cancellationToken)
    {
        var recipient = await store.ConsentMailRecipientAsync(subscriberId, listId, cancellationToken).ConfigureAwait(false);
        if (recipient is not { Status: SubscriptionStatus.Unconfirmed })
        {
            logger.LogInformation("No confirmation for subscriber {SubscriberId} on list {ListId}: no longer waiting for one", subscriberId, listId);
            return;
        }
        var expiresAt = clock.GetUtcNow().AddHours(options.Value.ConfirmationLinkHours);
        await mailer.SendAsync(mails.Confirmation(recipient, expiresAt), cancellationToken).ConfigureAwait(false);
    }
}
