namespace Newsletter.Subscribers;

/// <summary>
/// What an erasure removed: the subscriber (with their lists and attributes), the address's suppression
/// (<see cref="Suppression"/>, its reason), consent events scrubbed of address, client and details, and
/// deliveries kept for the counts without address or name. <see cref="AlreadyErased"/> when the
/// address's hash was on the suppression list before.
/// </summary>
public sealed record Erasure(string Email, bool SubscriberErased, long Lists, long Attributes, string? Suppression,
    long ConsentEventsScrubbed, long DeliveriesAnonymised, bool AlreadyErased);
