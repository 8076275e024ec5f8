namespace Newsletter.Subscribers;

/// <summary>The content of a verified token. <see cref="ExpiresAt"/> is null for links that never expire.</summary>
public readonly record struct SubscriptionToken(TokenPurpose Purpose, long SubscriberId, long ListId, DateTimeOffset? ExpiresAt)
{
    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } expiry && now >= expiry;
}
