using Hangfire;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;
using Newsletter.Jobs;
using Newsletter.Mail;

namespace Newsletter.Subscribers;

/// <summary>
/// Mails the double opt-in link, at most once per address per <see cref="ResendAfter"/> whatever the list:
/// anyone can post a stranger's address, and must not turn us into a mail bomb. Does nothing once the
/// subscription is no longer waiting for it.
/// </summary>
public sealed class SendConfirmationJob(
    SubscriberStore store, ConsentMails mails, TransactionalMailer mailer, IOptions<SubscribersOptions> options,
    TimeProvider clock, ILogger<SendConfirmationJob> logger)
{
    /// <summary>After a confirmation mail, the address gets the next one only after this long.</summary>
    public static readonly TimeSpan ResendAfter = TimeSpan.FromMinutes(10);

    [Queue(JobQueues.Transactional)]
    [AutomaticRetry(Attempts = 8, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task RunAsync(long subscriberId, long listId, CancellationToken cancellationToken = default)
    {
        var recipient = await store.ConsentMailRecipientAsync(subscriberId, listId, cancellationToken).ConfigureAwait(false);
        if (recipient is not { AwaitsConfirmation: true })
        {
            logger.LogInformation("No confirmation for subscriber {SubscriberId} on list {ListId}: no longer waiting for one", subscriberId, listId);
            return;
        }
        // Claimed in the database before sending, so parallel sign-ups (jobs on any server) send one mail.
        if (await store.ClaimConfirmationMailAsync(subscriberId, ResendAfter, cancellationToken).ConfigureAwait(false) is not { } claimed)
        {
            logger.LogInformation("No new confirmation for subscriber {SubscriberId} on list {ListId}: the address had one in the last {Minutes} minutes",
                subscriberId, listId, ResendAfter.TotalMinutes);
            return;
        }
        try
        {
            using var message = await mails.ConfirmationAsync(recipient, clock.GetUtcNow().AddHours(options.Value.ConfirmationLinkHours), cancellationToken)
                .ConfigureAwait(false);
            await mailer.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (SmtpCommandException e) when (TransactionalMailer.IsPermanentRecipientFailure(e))
        {
            await store.SuppressAsync(recipient.Email, "hard_bounce", $"{(int)e.StatusCode} {e.Message}", "consent-mail", cancellationToken).ConfigureAwait(false);
            logger.LogWarning("Suppressed subscriber {SubscriberId}: the relay refused the address ({Status})", subscriberId, (int)e.StatusCode);
            return;
        }
        catch
        {
            // Nothing went out: the retry must not find the window taken.
            await store.ReleaseConfirmationMailAsync(subscriberId, claimed, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        await store.MarkConfirmationSentAsync(subscriberId, listId, cancellationToken).ConfigureAwait(false);
    }
}
