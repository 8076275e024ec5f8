namespace Newsletter.Sending;

/// <summary>A reader a send gave up on, and the relay's last answer (or why nothing was asked of it).</summary>
public sealed record FailedDelivery(long SubscriberId, string Email, int Attempts, string? LastError);
