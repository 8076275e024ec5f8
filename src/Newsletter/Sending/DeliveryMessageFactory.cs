using MimeKit;
using Newsletter.Mail;
using Newsletter.Rendering;
using Newsletter.Subscribers;

namespace Newsletter.Sending;

/// <summary>
/// Builds an issue's message for each recipient from the rendering stored with the send: merge tokens
/// filled straight into quoted-printable parts, list headers set, a Message-ID derived from send and
/// subscriber (so a retried delivery keeps its id and duplicates can be recognised), DKIM-signed when
/// configured (by the <see cref="IssueMessageBuilder"/>). Test copies and previews are built here too,
/// so that they differ from a subscriber's message only by the recipient's own values.
/// </summary>
/// <param name="sendId">The send; null for a copy outside any send, which gets a fresh Message-ID.</param>
/// <param name="envelope">Makes each delivery's VERP envelope sender; null sends from the From address.</param>
public sealed class DeliveryMessageFactory(
    long? sendId, SendContent content, IssueMessageBuilder builder, SubscriptionLinks links, string publicUrl,
    EnvelopeSender? envelope = null)
{
    private readonly Personalizer _personalizer = new(new RenderedMail(content.Subject, content.HtmlBody, content.TextBody, ""));
    private readonly string _webVersionUrl = $"{publicUrl.TrimEnd('/')}/archive/{Uri.EscapeDataString(content.IssueSlug)}";

    public static string MessageIdFor(long sendId, long subscriberId, string domain) => $"send{sendId}.{subscriberId}@{domain}";

    /// <summary>The send and subscriber of a Message-ID made by <see cref="MessageIdFor"/>; false for any other.</summary>
    public static bool TryReadMessageId(string? messageId, out long sendId, out long subscriberId)
    {
        (sendId, subscriberId) = (0, 0);
        var id = messageId.AsSpan().Trim().Trim("<>");
        var at = id.IndexOf('@');
        if (at < 0 || !id.StartsWith("send"))
            return false;
        var ids = id[4..at];
        var dot = ids.IndexOf('.');
        return dot > 0
               && long.TryParse(ids[..dot], System.Globalization.NumberStyles.None, null, out sendId)
               && long.TryParse(ids[(dot + 1)..], System.Globalization.NumberStyles.None, null, out subscriberId);
    }

    /// <summary>The MAIL FROM of a delivery: its VERP address, or null for the From address.</summary>
    public MailboxAddress? EnvelopeSenderFor(ClaimedDelivery delivery) =>
        sendId is { } id && envelope is not null ? envelope.For(id, delivery.SubscriberId) : null;

    /// <summary>
    /// One copy of an issue for someone outside any send (a test address, a preview's sample reader), built
    /// as a subscriber's. Its links are signed for subscriber 0, who is nobody: following them changes nothing.
    /// </summary>
    public static MimeMessage Copy(
        RenderedMail rendered, string issueSlug, MailboxAddress to, IssueMessageBuilder builder, SubscriptionLinks links, string publicUrl)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        ArgumentNullException.ThrowIfNull(to);
        var content = new SendContent { Subject = rendered.Subject, HtmlBody = rendered.Html, TextBody = rendered.Text, IssueSlug = issueSlug };
        return new DeliveryMessageFactory(null, content, builder, links, publicUrl)
            .Build(new ClaimedDelivery(0, 0, to.Address, to.Name ?? "", 0, true));
    }

    public MimeMessage Build(ClaimedDelivery delivery)
    {
        var (values, recipient, messageId) = Address(delivery);
        return builder.Build(_personalizer, values, recipient, messageId);
    }

    /// <summary>
    /// What is the recipient's own in a delivery's message: merge values, addressee with unsubscribe link,
    /// Message-ID (null outside a send: the builder makes a fresh one).
    /// </summary>
    public (MergeValues Values, MessageRecipient Recipient, string? MessageId) Address(ClaimedDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var unsubscribeUrl = links.UnsubscribeUrl(delivery.SubscriberId, delivery.ListId);
        var values = new MergeValues(
            delivery.Email, delivery.Name, unsubscribeUrl, links.PreferencesUrl(delivery.SubscriberId), _webVersionUrl);
        return (values, new MessageRecipient(delivery.Email, delivery.Name, unsubscribeUrl),
            sendId is { } id ? MessageIdFor(id, delivery.SubscriberId, builder.Domain) : null);
    }
}
