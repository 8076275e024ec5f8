namespace Newsletter.Bounces;

/// <summary>
/// What a provider's webhook request says once read: whether it is authentic (its signature or credentials
/// checked), the bounces and complaints it reports, and for Amazon SNS the subscription to confirm.
/// </summary>
public sealed record WebhookReading(bool Authentic, IReadOnlyList<BounceReport> Reports, Uri? ConfirmSubscription = null)
{
    public static readonly WebhookReading Forged = new(false, []);
}
