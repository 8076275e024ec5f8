namespace Newsletter.Subscribers;

/// <summary>A subscriber's own row; <see cref="Attributes"/> is a JSON object, <see cref="Suppression"/> the reason the address is suppressed.</summary>
internal sealed record SubscriberRecord(long Id, string Email, string Name, string Attributes, DateTime CreatedAt, DateTime UpdatedAt, string? Suppression);
