using MimeKit;
using MimeKit.Cryptography;
using Newsletter.Rendering;
using Newsletter.Sending;
using Newsletter.Subscribers;

namespace Newsletter.Benchmarks;

/// <summary>
/// The send's message as a plain MailKit program builds it for each recipient: tokens filled into strings,
/// text parts that MimeKit encodes on every write, MimeKit's own DKIM signer. Same content, headers and
/// Message-IDs as the engine's; only the way of building them differs.
/// </summary>
public sealed class PlainMessages(
    long sendId, long listId, SendContent content, IssueMessageBuilder builder, SubscriptionLinks links, DkimOptions? dkim, string publicUrl)
{
    private static readonly string[] SignedHeaders =
        ["From", "To", "Subject", "Date", "Message-ID", "List-Id", "List-Unsubscribe", "List-Unsubscribe-Post"];

    private readonly Personalizer _personalizer = new(new RenderedMail(content.Subject, content.HtmlBody, content.TextBody, ""));
    private readonly string _webVersionUrl = $"{publicUrl.TrimEnd('/')}/archive/{Uri.EscapeDataString(content.IssueSlug)}";
    private readonly DkimSigner? _signer = dkim is null ? null : new DkimSigner(dkim.PrivateKeyPath!, dkim.Domain!, dkim.Selector!)
    {
        HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
    };

    public MimeMessage Build(long subscriberId)
    {
        var recipient = CeilingLoop.Recipient(subscriberId, listId);
        var unsubscribe = links.UnsubscribeUrl(subscriberId, listId);
        var values = new MergeValues(recipient.Email, recipient.Name, unsubscribe, links.PreferencesUrl(subscriberId), _webVersionUrl);
        var message = builder.Build(_personalizer.Personalize(values), new MessageRecipient(recipient.Email, recipient.Name, unsubscribe),
            DeliveryMessageFactory.MessageIdFor(sendId, subscriberId, builder.Domain));
        if (_signer is not null)
        {
            message.Prepare(EncodingConstraint.SevenBit);
            _signer.Sign(message, SignedHeaders);
        }
        return message;
    }
}
