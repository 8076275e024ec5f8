using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Newsletter.Tests.Bounces;

/// <summary>The app with every provider webhook configured: a certificate made for the test stands in for Amazon SNS's.</summary>
public sealed class WebhookBouncesApp : BouncesTestApp
{
    public const string PostmarkUser = "postmark-hook";
    public const string PostmarkPassword = "postmark-test-password";
    public const string MailgunKey = "mailgun-test-signing-key";
    public const string GenericSecret = "generic-test-secret-of-some-length";

    private readonly string _certificatePath = Path.Combine(Path.GetTempPath(), $"newsletter-sns-{Guid.NewGuid():N}.pem");

    public WebhookBouncesApp()
    {
        var request = new CertificateRequest("CN=sns.test", SnsKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(_certificatePath, certificate.ExportCertificatePem());
    }

    /// <summary>The key SNS signs with in these tests; its certificate is the one configured.</summary>
    public RSA SnsKey { get; } = RSA.Create(2048);

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        .. base.Settings,
        new("Newsletter:Bounces:Webhooks:SnsCertificatePath", _certificatePath),
        new("Newsletter:Bounces:Webhooks:SnsTopicArns:0", WebhookRequests.Topic),
        new("Newsletter:Bounces:Webhooks:PostmarkUser", PostmarkUser),
        new("Newsletter:Bounces:Webhooks:PostmarkPassword", PostmarkPassword),
        new("Newsletter:Bounces:Webhooks:MailgunSigningKey", MailgunKey),
        new("Newsletter:Bounces:Webhooks:GenericSecret", GenericSecret),
    ];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        SnsKey.Dispose();
        File.Delete(_certificatePath);
    }
}
