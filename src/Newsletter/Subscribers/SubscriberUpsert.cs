namespace Newsletter.Subscribers;

/// <summary>
/// One subscriber to add or update: a checked address, a name (empty keeps a known one), attributes as a JSON object
/// (merged into known ones), the list slugs, and whether the caller vouches for their consent (<see cref="Confirmed"/>);
/// otherwise double opt-in lists mail a confirmation first.
/// </summary>
public sealed record SubscriberUpsert(string Email, string Name, string AttributesJson, IReadOnlyList<string> Lists, bool Confirmed);
