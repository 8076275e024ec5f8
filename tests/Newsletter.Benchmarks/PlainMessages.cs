using MimeKit;
using MimeKit.Cryptography;
using Newsletter.Configuration;
using Newsletter.Mail;
using Newsletter.Rendering;
using Newsletter.Sending;

namespace Newsletter.Benchmarks;

/// <summary>
/// The send's message as a plain MailKit program builds it for each recipient: tokens filled into strings,
/// text parts that MimeKit encodes on every write, MimeKit's own DKIM signer. Content, headers and
/// Message-IDs are the engine's (<see cref="DeliveryMessageFactory.Address"/>); only the way of building differs.
/// </summary>
public sealed class PlainMessages(
    DeliveryMessageFactory engine, SendContent content, IssueMessageBuilder builder, DkimOptions? dkim, long listId)
{
    private static readonly string[] SignedHeaders =
        ["From", "To", "Subject", "Date", "Message-ID", "List-Id", "List-Unsubscribe", "List-Unsubscribe-Post"];

    private readonly Personalizer _personalizer = new(new RenderedMail(content.Subject, content.HtmlBody, content.TextBody, ""));
    private readonly DkimSigner? _signer = dkim is null ? null : new DkimSigner(dkim.PrivateKeyPath!, dkim.Domain!, dkim.Selector!)
    {
        HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
    };

    public MimeMessage Build(long subscriberId)
    {
        var (values, recipient, messageId) = engine.Address(CeilingLoop.Recipient(subscriberId, listId));
        var message = builder.Build(_personalizer.Personalize(values), recipient, messageId);
        if (_signer is not null)
        {
            message.Prepare(EncodingConstraint.SevenBit);
            _signer.Sign(message, SignedHeaders);
        }
        return message;
    }
}
