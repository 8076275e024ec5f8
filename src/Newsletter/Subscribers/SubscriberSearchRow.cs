namespace Newsletter.Subscribers;

/// <summary>A search match as stored, with the lower-cased text it was ordered by (the cursor's key).</summary>
internal sealed record SubscriberSearchRow(long Id, string Email, string Name, bool ByName, string SortKey, DateTime CreatedAt,
    long Confirmed, long Unconfirmed, long Unsubscribed, string? Suppression);
