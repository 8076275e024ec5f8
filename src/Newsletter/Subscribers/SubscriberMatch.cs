namespace Newsletter.Subscribers;

/// <summary>One subscriber found by a search; <see cref="ByName"/> when the name matched, not the address.</summary>
public sealed record SubscriberMatch(long Id, string Email, string Name, bool ByName);
