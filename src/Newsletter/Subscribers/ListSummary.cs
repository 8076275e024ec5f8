namespace Newsletter.Subscribers;

/// <summary>A list with its subscription counts, for <c>lists show</c>.</summary>
public sealed record ListSummary(long Id, string Slug, string Name, bool DoubleOptIn, long Confirmed, long Unconfirmed, long Unsubscribed);
