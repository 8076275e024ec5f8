namespace Newsletter.Subscribers;

/// <summary>
/// One subscriber found by a search; <see cref="ByName"/> when the name matched, not the address. Their standing:
/// how many lists they are on by <see cref="SubscriptionStatus"/>, and the reason the address is suppressed, if it is.
/// </summary>
public sealed record SubscriberMatch(long Id, string Email, string Name, bool ByName, DateTime CreatedAt, long Confirmed, long Unconfirmed,
    long Unsubscribed, string? Suppression);
