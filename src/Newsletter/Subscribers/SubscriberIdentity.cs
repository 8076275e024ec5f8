namespace Newsletter.Subscribers;

/// <summary>
/// Who a subscriber is to a mail: address, name, and the list their unsubscribe link names (a confirmed
/// subscription first; 0 when they are on no list).
/// </summary>
public sealed record SubscriberIdentity(long Id, string Email, string Name, long ListId);
