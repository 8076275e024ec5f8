namespace Newsletter.Sending;

public sealed record ClaimedDelivery(long SubscriberId, long ListId, string Email, string Name, int Attempts, bool Wanted);
