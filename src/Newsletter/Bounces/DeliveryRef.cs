namespace Newsletter.Bounces;

/// <summary>One delivery: a message of a send to a subscriber.</summary>
public sealed record DeliveryRef(long SendId, long SubscriberId);
