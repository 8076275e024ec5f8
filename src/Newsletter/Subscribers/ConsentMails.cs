using System.Net;
using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Configuration;

namespace Newsletter.Subscribers;

/// <summary>
/// The confirmation and welcome mails. Plain placeholder bodies until the Razor templates of the
/// rendering work replace them; the rest of the code only sees the two methods.
/// </summary>
public sealed class ConsentMails(SubscriptionLinks links, IOptions<NewsletterOptions> options)
{
    public MimeMessage Confirmation(ConsentMailRecipient recipient, DateTimeOffset linkExpiresAt)
    {
        var url = links.ConfirmUrl(recipient.SubscriberId, recipient.ListId, linkExpiresAt);
        var text = $"""
            Hello{Greeting(recipient)},

            Please confirm that you want to receive "{recipient.ListName}" by opening this link:

            {url}

            The link works until {linkExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC. If you did not sign up,
            ignore this mail: you will not hear from us again.

            {Sender.Name}
            {Sender.PostalAddress}
            """;
        var html = $"""
            <p>Hello{WebUtility.HtmlEncode(Greeting(recipient))},</p>
            <p>Please confirm that you want to receive <strong>{WebUtility.HtmlEncode(recipient.ListName)}</strong>.</p>
            <p><a href="{WebUtility.HtmlEncode(url)}">Yes, subscribe me</a></p>
            <p>The link works until {linkExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC. If you did not sign up, ignore this mail:
            you will not hear from us again.</p>
            <p>{WebUtility.HtmlEncode(Sender.Name)}<br>{WebUtility.HtmlEncode(Sender.PostalAddress)}</p>
            """;
        return Message(recipient, $"Confirm your subscription to {recipient.ListName}", text, html);
    }

    public MimeMessage Welcome(ConsentMailRecipient recipient)
    {
        var unsubscribe = links.UnsubscribeUrl(recipient.SubscriberId, recipient.ListId);
        var preferences = links.PreferencesUrl(recipient.SubscriberId);
        var text = $"""
            Hello{Greeting(recipient)},

            You are now subscribed to "{recipient.ListName}". The next issue comes to this address.

            Your lists: {preferences}
            Unsubscribe: {unsubscribe}

            {Sender.Name}
            {Sender.PostalAddress}
            """;
        var html = $"""
            <p>Hello{WebUtility.HtmlEncode(Greeting(recipient))},</p>
            <p>You are now subscribed to <strong>{WebUtility.HtmlEncode(recipient.ListName)}</strong>. The next issue comes to this address.</p>
            <p><a href="{WebUtility.HtmlEncode(preferences)}">Your lists</a> · <a href="{WebUtility.HtmlEncode(unsubscribe)}">Unsubscribe</a></p>
            <p>{WebUtility.HtmlEncode(Sender.Name)}<br>{WebUtility.HtmlEncode(Sender.PostalAddress)}</p>
            """;
        var message = Message(recipient, $"Welcome to {recipient.ListName}", text, html);
        message.Headers.Add("List-Unsubscribe", links.ListUnsubscribeHeader(recipient.SubscriberId, recipient.ListId));
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        return message;
    }

    private SenderOptions Sender => options.Value.Sender;

    private static string Greeting(ConsentMailRecipient recipient) => recipient.Name.Length == 0 ? "" : " " + recipient.Name;

    private MimeMessage Message(ConsentMailRecipient recipient, string subject, string text, string html)
    {
        var message = new MimeMessage { Subject = subject };
        message.From.Add(new MailboxAddress(Sender.Name, Sender.Address));
        if (!string.IsNullOrEmpty(Sender.ReplyTo))
            message.ReplyTo.Add(MailboxAddress.Parse(Sender.ReplyTo));
        message.To.Add(new MailboxAddress(recipient.Name, recipient.Email));
        message.Body = new BodyBuilder { TextBody = text, HtmlBody = html }.ToMessageBody();
        return message;
    }
}
