using System.Security.Cryptography;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace Newsletter.Tests.Infrastructure;

/// <summary>
/// A fresh RSA key in a PEM file for <c>Newsletter:Dkim</c>, and MimeKit's own verifier holding its public
/// half instead of a DNS lookup, to check what arrives at the SMTP peer.
/// </summary>
public sealed class TestDkimKey : IDisposable
{
    public const string Domain = "news.example.com";
    public const string Selector = "test";

    private readonly string _directory = Directory.CreateTempSubdirectory("dkim-key-").FullName;
    private readonly string _publicKey;

    public TestDkimKey()
    {
        using var rsa = RSA.Create(2048);
        PrivateKeyPath = Path.Combine(_directory, "dkim.pem");
        File.WriteAllText(PrivateKeyPath, rsa.ExportPkcs8PrivateKeyPem());
        _publicKey = Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
    }

    public string PrivateKeyPath { get; }

    /// <summary>The value of the TXT record at <c>test._domainkey.news.example.com</c> that this key's signatures verify against.</summary>
    public string TxtRecord => $"v=DKIM1; k=rsa; p={_publicKey}";

    public IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Newsletter:Dkim:Domain", Domain),
        new("Newsletter:Dkim:Selector", Selector),
        new("Newsletter:Dkim:PrivateKeyPath", PrivateKeyPath),
    ];

    /// <summary>Whether the message carries one DKIM signature of ours and it verifies.</summary>
    public async Task<bool> VerifiesAsync(MimeMessage message)
    {
        var signature = message.Headers.Where(h => h.Id == HeaderId.DkimSignature).ToList();
        if (signature.Count != 1)
            return false;
        return await new DkimVerifier(new FixedKey(TxtRecord)).VerifyAsync(message, signature[0]);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private sealed class FixedKey(string txtRecord) : DkimPublicKeyLocatorBase
    {
        public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            domain == Domain && selector == Selector ? GetPublicKey(txtRecord) : throw new ArgumentException($"no key for {selector}._domainkey.{domain}");

        public override Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));
    }
}
