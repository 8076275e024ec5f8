namespace Newsletter.Subscribers;

/// <summary>
/// A row the upsert returns: <c>subscriber</c> (an address added or updated, <see cref="Created"/> when new) or
/// <c>confirm</c> (a new subscription to <see cref="ListId"/> waiting for its confirmation mail).
/// </summary>
public sealed record UpsertedRow(string Kind, long SubscriberId, string? EmailLower, bool Created, long? ListId);
