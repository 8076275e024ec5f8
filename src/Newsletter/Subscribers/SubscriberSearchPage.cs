namespace Newsletter.Subscribers;

/// <summary>One page of a search; <see cref="NextCursor"/> fetches the next one, null on the last page.</summary>
public sealed record SubscriberSearchPage(IReadOnlyList<SubscriberMatch> Matches, string? NextCursor);
