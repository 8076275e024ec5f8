using System.Text.Json;

namespace Newsletter.Subscribers;

/// <summary>
/// Everything held about one subscriber: lists and status on each, attributes, whether the address is
/// suppressed (and why), the consent trail (oldest first) and the deliveries (newest first).
/// </summary>
public sealed record SubscriberProfile(
    long Id,
    string Email,
    string Name,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    IReadOnlyDictionary<string, JsonElement> Attributes,
    string? Suppression,
    IReadOnlyList<ProfileSubscription> Lists,
    IReadOnlyList<ConsentRecord> ConsentTrail,
    IReadOnlyList<DeliveryRecord> Deliveries);
