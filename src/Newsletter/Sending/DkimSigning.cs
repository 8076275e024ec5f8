using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Cryptography;

namespace Newsletter.Sending;

/// <summary>
/// Signs outgoing bulk mail with DKIM (rsa-sha256, relaxed/relaxed), List-Unsubscribe and
/// List-Unsubscribe-Post among the signed headers as RFC 8058 asks. Thread-safe.
/// </summary>
public sealed class DkimSigning
{
    private static readonly HeaderId[] SignedHeaders =
    [
        HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId, HeaderId.ReplyTo,
        HeaderId.ListId, HeaderId.ListUnsubscribe, HeaderId.ListUnsubscribePost, HeaderId.MimeVersion, HeaderId.ContentType,
    ];

    private readonly Signer _signer;

    /// <exception cref="InvalidOperationException">The key file cannot be read as an RSA private key.</exception>
    public DkimSigning(IOptions<DkimOptions> options)
    {
        var dkim = options.Value;
        var pem = File.ReadAllText(dkim.PrivateKeyPath!);
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"Newsletter:Dkim:PrivateKeyPath {dkim.PrivateKeyPath} is not a PEM RSA private key.", e);
        }
        _signer = new Signer(rsa, new MemoryStream(System.Text.Encoding.ASCII.GetBytes(pem)), dkim.Domain!, dkim.Selector!)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            AgentOrUserIdentifier = null,
        };
    }

    public void Sign(MimeMessage message)
    {
        // Sign the exact bytes that will be sent: fix the transfer encodings first.
        message.Prepare(EncodingConstraint.SevenBit);
        _signer.Sign(message, SignedHeaders);
    }

    private sealed class Signer(RSA rsa, Stream key, string domain, string selector)
        : DkimSigner(key, domain, selector, DkimSignatureAlgorithm.RsaSha256)
    {
        protected override Org.BouncyCastle.Crypto.ISigner CreateSigningContext() => new FastRsaSigner(rsa);
    }
}
