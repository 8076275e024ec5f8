namespace Newsletter.Subscribers;

/// <summary>The addresses suppressed for one reason (<c>hard_bounce</c>, <c>complaint</c>, <c>manual</c>, <c>unsubscribed_all</c>, <c>erased</c>).</summary>
public sealed record SuppressionCount(string Reason, long Addresses);
