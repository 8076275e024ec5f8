using Hangfire;
using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Configuration;
using Newsletter.Jobs;
using Newsletter.Mail;

namespace Newsletter.Alerts;

/// <summary>One alert, in plain text, to <see cref="AlertsOptions.Email"/> through the configured relay. Safe to run twice.</summary>
public sealed class AlertMailJob(AlertStore store, TransactionalMailer mailer, IOptions<AlertsOptions> alerts, IOptions<NewsletterOptions> newsletter)
{
    // The first retries come soon (the relay restarting); the later ones span an outage of hours, which is
    // what one of these alerts may be about.
    [Queue(JobQueues.Transactional)]
    [AutomaticRetry(Attempts = 12, DelaysInSeconds = [5, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 3600, 3600])]
    public async Task RunAsync(long alertId, CancellationToken cancellationToken = default)
    {
        if (alerts.Value.Email is not { } to || await store.GetAsync(alertId, cancellationToken) is not { MailedAt: null } alert)
            return;
        var sender = newsletter.Value.Sender;
        using var message = new MimeMessage();
        message.From.Add(new MailboxAddress(sender.Name, sender.Address));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = OperatorAlerts.SubjectPrefix + alert.Subject;
        message.Date = new DateTimeOffset(DateTime.SpecifyKind(alert.RaisedAt, DateTimeKind.Utc));
        message.Body = new TextPart("plain") { Text = alert.Body };
        await mailer.SendAsync(message, cancellationToken);
        await store.MarkMailedAsync(alertId, cancellationToken);
    }
}
