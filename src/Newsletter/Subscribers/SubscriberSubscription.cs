namespace Newsletter.Subscribers;

/// <summary>One of a subscriber's lists, for the preferences page.</summary>
public sealed record SubscriberSubscription(long ListId, string Slug, string Name, string Status);
