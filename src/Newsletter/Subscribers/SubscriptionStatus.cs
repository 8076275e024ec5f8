namespace Newsletter.Subscribers;

/// <summary>The values of <c>subscriptions.status</c>.</summary>
public static class SubscriptionStatus
{
    public const string Unconfirmed = "unconfirmed";
    public const string Confirmed = "confirmed";
    public const string Unsubscribed = "unsubscribed";
}
