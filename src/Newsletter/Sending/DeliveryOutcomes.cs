namespace Newsletter.Sending;

/// <summary>Outcomes gathered between two flushes of a batch.</summary>
public sealed class DeliveryOutcomes
{
    public List<(long SubscriberId, DateTime At)> Sent { get; } = [];
    public List<(long SubscriberId, string Error)> Failed { get; } = [];
    public List<(long SubscriberId, string Error, DateTime NextAttemptAt)> Deferred { get; } = [];
    public List<(long SubscriberId, string Email, string Error)> Bounced { get; } = [];

    public int Count => Sent.Count + Failed.Count + Deferred.Count;

    /// <summary>The most recent failure, for the reason a send gives when it pauses itself.</summary>
    public string? LastError => Failed.Count > 0 ? Failed[^1].Error : Deferred.Count > 0 ? Deferred[^1].Error : null;

    public void Clear()
    {
        Sent.Clear();
        Failed.Clear();
        Deferred.Clear();
        Bounced.Clear();
    }
}
