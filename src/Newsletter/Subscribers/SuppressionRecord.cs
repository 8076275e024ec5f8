namespace Newsletter.Subscribers;

/// <summary>An address on the suppression list (lower case), why (<c>hard_bounce</c>, <c>complaint</c>, <c>manual</c>, <c>unsubscribed_all</c>) and since when.</summary>
public sealed record SuppressionRecord(string Email, string Reason, string? Detail, DateTime CreatedAt);
