namespace Newsletter.Subscribers;

/// <summary>A list with its subscription counts, for <c>lists show</c> and the author's lists page.</summary>
public sealed record ListSummary(long Id, string Slug, string Name, string Description, bool DoubleOptIn, long Confirmed, long Unconfirmed, long Unsubscribed);
