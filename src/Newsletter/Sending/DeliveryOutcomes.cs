namespace Newsletter.Sending;

/// <summary>Outcomes of messages attempted and not yet written to the ledger.</summary>
public sealed class DeliveryOutcomes
{
    public List<(long SubscriberId, DateTime At)> Sent { get; } = [];
    public List<(long SubscriberId, string Error)> Failed { get; } = [];
    public List<(long SubscriberId, string Error, DateTime NextAttemptAt)> Deferred { get; } = [];
    public List<(long SubscriberId, string Email, string Error)> Bounced { get; } = [];

    /// <summary>Readers who withdrew consent after their row was claimed: not sent, closed as skipped.</summary>
    public List<long> Skipped { get; } = [];

    public int Count => Sent.Count + Failed.Count + Deferred.Count + Skipped.Count;

    /// <summary>The most recent failure, for the reason a send gives when it pauses itself.</summary>
    public string? LastError => Failed.Count > 0 ? Failed[^1].Error : Deferred.Count > 0 ? Deferred[^1].Error : null;

    /// <summary>Appends these outcomes to <paramref name="target"/> and empties this.</summary>
    public void MoveTo(DeliveryOutcomes target)
    {
        target.Sent.AddRange(Sent);
        target.Failed.AddRange(Failed);
        target.Deferred.AddRange(Deferred);
        target.Bounced.AddRange(Bounced);
        target.Skipped.AddRange(Skipped);
        Clear();
    }

    /// <summary>Every reader with an outcome here.</summary>
    public HashSet<long> Readers() =>
        [.. Sent.Select(s => s.SubscriberId), .. Failed.Select(f => f.SubscriberId), .. Deferred.Select(d => d.SubscriberId), .. Skipped];

    /// <summary>Drops the outcomes of <paramref name="readers"/>.</summary>
    public void RemoveReaders(HashSet<long> readers)
    {
        Sent.RemoveAll(s => readers.Contains(s.SubscriberId));
        Failed.RemoveAll(f => readers.Contains(f.SubscriberId));
        Deferred.RemoveAll(d => readers.Contains(d.SubscriberId));
        Bounced.RemoveAll(b => readers.Contains(b.SubscriberId));
        Skipped.RemoveAll(readers.Contains);
    }

    public void Clear()
    {
        Sent.Clear();
        Failed.Clear();
        Deferred.Clear();
        Bounced.Clear();
        Skipped.Clear();
    }
}
