using Hangfire;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;
using Newsletter.Jobs;
using Newsletter.Mail;

namespace Newsletter.Subscribers;

/// <summary>Mails the double opt-in link. Does nothing once the subscription is no longer waiting for it.</summary>
public sealed class SendConfirmationJob(
    SubscriberStore store, ConsentMails mails, TransactionalMailer mailer, IOptions<SubscribersOptions> options,
    TimeProvider clock, ILogger<SendConfirmationJob> logger)
{
    /// <summary>A repeated sign-up gets a new confirmation mail only after this long.</summary>
    public static readonly TimeSpan ResendAfter = TimeSpan.FromMinutes(10);

    [Queue(JobQueues.Transactional)]
    [AutomaticRetry(Attempts = 8, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task RunAsync(long subscriberId, long listId, CancellationToken cancellationToken = default)
    {
        var recipient = await store.ConsentMailRecipientAsync(subscriberId, listId, cancellationToken).ConfigureAwait(false);
        if (recipient is not { Status: SubscriptionStatus.Unconfirmed })
        {
            logger.LogInformation("No confirmation for subscriber {SubscriberId} on list {ListId}: no longer waiting for one", subscriberId, listId);
            return;
        }
        // Someone posting a stranger's address over and over must not turn us into a mail bomb.
        var now = clock.GetUtcNow();
        if (recipient.ConfirmationSentAt is { } sent && now - new DateTimeOffset(DateTime.SpecifyKind(sent, DateTimeKind.Utc)) < ResendAfter)
        {
            logger.LogInformation("No new confirmation for subscriber {SubscriberId} on list {ListId}: one went out at {SentAt:u}", subscriberId, listId, sent);
            return;
        }
        try
        {
            using var message = await mails.ConfirmationAsync(recipient, now.AddHours(options.Value.ConfirmationLinkHours), cancellationToken)
                .ConfigureAwait(false);
            await mailer.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (SmtpCommandException e) when (TransactionalMailer.IsPermanentRecipientFailure(e))
        {
            await store.SuppressAsync(recipient.Email, "hard_bounce", $"{(int)e.StatusCode} {e.Message}", "consent-mail", cancellationToken).ConfigureAwait(false);
            logger.LogWarning("Suppressed subscriber {SubscriberId}: the relay refused the address ({Status})", subscriberId, (int)e.StatusCode);
            return;
        }
        await store.MarkConfirmationSentAsync(subscriberId, listId, cancellationToken).ConfigureAwait(false);
    }
}
