namespace Newsletter.Subscribers;

/// <summary>A subscriber an upsert stored: their id, their address as the database lowers it, and whether they are new.</summary>
public sealed record UpsertedSubscriber(long SubscriberId, string EmailLower, bool Created);
