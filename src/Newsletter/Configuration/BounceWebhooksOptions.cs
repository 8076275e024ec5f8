namespace Newsletter.Configuration;

/// <summary>
/// The <c>Newsletter:Bounces:Webhooks</c> section: what each provider's <c>POST /webhooks/{provider}</c>
/// is checked with. A provider without its setting is refused (404).
/// </summary>
public sealed class BounceWebhooksOptions
{
    /// <summary>PEM file of the certificate Amazon SNS signs its messages with (<c>ses</c>).</summary>
    public string? SnsCertificatePath { get; set; }

    /// <summary>
    /// The ARNs of the SNS topics SES publishes to (<c>SnsTopicArns:0</c>, …): SNS signs every customer's topics with
    /// the same certificate, so a message from any other topic is refused although its signature holds.
    /// </summary>
    public string[] SnsTopicArns { get; set; } = [];

    /// <summary>The basic-auth user and password set on the Postmark webhook (<c>postmark</c>).</summary>
    public string? PostmarkUser { get; set; }

    public string? PostmarkPassword { get; set; }

    /// <summary>Mailgun's HTTP webhook signing key (<c>mailgun</c>).</summary>
    public string? MailgunSigningKey { get; set; }

    /// <summary>
    /// Shared secret of the generic JSON webhook (<c>generic</c>): the body's HMAC-SHA256, hex, in the
    /// <c>X-Newsletter-Signature</c> header.
    /// </summary>
    public string? GenericSecret { get; set; }
}
