using MimeKit;
using Newsletter.Rendering;
using Newsletter.Subscribers;

namespace Newsletter.Sending;

/// <summary>
/// Builds one send's message for each recipient from the rendering stored with the send: merge tokens
/// filled straight into quoted-printable parts, list headers set, a Message-ID derived from send and
/// subscriber (so a retried delivery keeps its id and duplicates can be recognised), DKIM-signed when
/// configured.
/// </summary>
public sealed class DeliveryMessageFactory(
    long sendId, SendContent content, IssueMessageBuilder builder, SubscriptionLinks links, DkimSigning? dkim, string publicUrl)
{
    private readonly Personalizer _personalizer = new(new RenderedMail(content.Subject, content.HtmlBody, content.TextBody, ""));
    private readonly string _webVersionUrl = $"{publicUrl.TrimEnd('/')}/archive/{Uri.EscapeDataString(content.IssueSlug)}";

    public static string MessageIdFor(long sendId, long subscriberId, string domain) => $"send{sendId}.{subscriberId}@{domain}";

    public MimeMessage Build(ClaimedDelivery delivery)
    {
        var (values, recipient, messageId) = Address(delivery);
        var message = builder.Build(_personalizer, values, recipient, messageId);
        dkim?.Sign(message);
        return message;
    }

    /// <summary>What is the recipient's own in a delivery's message: merge values, addressee with unsubscribe link, Message-ID.</summary>
    public (MergeValues Values, MessageRecipient Recipient, string MessageId) Address(ClaimedDelivery delivery)
    {
        var unsubscribeUrl = links.UnsubscribeUrl(delivery.SubscriberId, delivery.ListId);
        var values = new MergeValues(
            delivery.Email, delivery.Name, unsubscribeUrl, links.PreferencesUrl(delivery.SubscriberId), _webVersionUrl);
        return (values, new MessageRecipient(delivery.Email, delivery.Name, unsubscribeUrl),
            MessageIdFor(sendId, delivery.SubscriberId, builder.Domain));
    }
}
