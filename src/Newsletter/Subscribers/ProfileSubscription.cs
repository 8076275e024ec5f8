namespace Newsletter.Subscribers;

/// <summary>A subscriber's standing on one list (<see cref="SubscriptionStatus"/>), and how they got there (<c>form</c>, <c>import</c>, …).</summary>
public sealed record ProfileSubscription(string ListSlug, string ListName, string Status, string Source, DateTime SubscribedAt,
    DateTime? ConfirmedAt, DateTime? UnsubscribedAt);
