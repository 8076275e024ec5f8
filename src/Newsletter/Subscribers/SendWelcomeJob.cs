using Hangfire;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Logging;
using Newsletter.Jobs;
using Newsletter.Mail;

namespace Newsletter.Subscribers;

/// <summary>Mails the welcome once per confirmed subscription (a re-run after the mark does nothing).</summary>
public sealed class SendWelcomeJob(SubscriberStore store, ConsentMails mails, TransactionalMailer mailer, ILogger<SendWelcomeJob> logger)
{
    [Queue(JobQueues.Transactional)]
    [AutomaticRetry(Attempts = 8, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task RunAsync(long subscriberId, long listId, CancellationToken cancellationToken = default)
    {
        var recipient = await store.ConsentMailRecipientAsync(subscriberId, listId, cancellationToken).ConfigureAwait(false);
        if (recipient is not { Status: SubscriptionStatus.Confirmed, WelcomeSentAt: null })
            return;
        try
        {
            using var message = await mails.WelcomeAsync(recipient, cancellationToken).ConfigureAwait(false);
            await mailer.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (SmtpCommandException e) when (TransactionalMailer.IsPermanentRecipientFailure(e))
        {
            await store.SuppressAsync(recipient.Email, "hard_bounce", $"{(int)e.StatusCode} {e.Message}", "consent-mail", cancellationToken).ConfigureAwait(false);
            logger.LogWarning("Suppressed subscriber {SubscriberId}: the relay refused the address ({Status})", subscriberId, (int)e.StatusCode);
        }
        await store.MarkWelcomeSentAsync(subscriberId, listId, cancellationToken).ConfigureAwait(false);
    }
}
