using Hangfire;
using Newsletter.Scheduling;
using Newsletter.Sending;

namespace Newsletter.Subscribers;

/// <summary>Mails the welcome once per confirmed subscription (a re-run after the mark does nothing).</summary>
public sealed class SendWelcomeJob(SubscriberStore store, ConsentMails mails, TransactionalMailer mailer)
{
    [Queue(JobQueues.Transactional)]
    [AutomaticRetry(Attempts = 8, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task RunAsync(long subscriberId, long listId, CancellationToken cancellationToken)
    {
        var recipient = await store.ConsentMailRecipientAsync(subscriberId, listId, cancellationToken).ConfigureAwait(false);
        if (recipient is not { Status: SubscriptionStatus.Confirmed, WelcomeSentAt: null })
            return;
        await mailer.SendAsync(mails.Welcome(recipient), cancellationToken).ConfigureAwait(false);
        await store.MarkWelcomeSentAsync(subscriberId, listId, cancellationToken).ConfigureAwait(false);
    }
}
