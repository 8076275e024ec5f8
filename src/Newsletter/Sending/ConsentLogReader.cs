namespace Newsletter.Sending;

/// <summary>
/// Follows the consent log for the outcome writer, which reads it with each flush, and answers whether a
/// reader withdrew since. Event ids are taken at insert but become visible at commit, so a later id can
/// be read before an earlier one commits: each read goes back over the ids of the last
/// <see cref="OverlapMs"/> milliseconds, for opt-outs only, so such an event is still seen.
/// </summary>
internal sealed class ConsentLogReader(DeliveryStore store)
{
    private const long OverlapMs = 250;

    // Longer than a batch holds a row between its claim (which checks consent) and its message.
    private static readonly long MemoryMs = (long)TimeSpan.FromHours(1).TotalMilliseconds;

    private readonly Lock _gate = new();
    private readonly ConsentWithdrawals _withdrawals = new();
    private readonly Queue<(long At, long Seen)> _reads = new();
    private long? _seen;
    private long _after;

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_seen is not null)
                return;
        }
        var end = await store.ConsentLogEndAsync(cancellationToken);
        lock (_gate)
        {
            if (_seen is not null)
                return;
            _seen = end;
            _after = end;
        }
    }

    public bool Withdrawn(long subscriberId, long[] listIds)
    {
        lock (_gate)
            return _withdrawals.Covers(subscriberId, listIds);
    }

    /// <summary>Where the next read starts: opt-outs after AfterId, every event after SeenId; null until started.</summary>
    public (long AfterId, long SeenId)? Cursor
    {
        get
        {
            lock (_gate)
                return _seen is { } seen ? (_after, seen) : null;
        }
    }

    /// <summary>Takes in what a read from <paramref name="cursor"/> found.</summary>
    public void Apply((long AfterId, long SeenId) cursor, IReadOnlyList<ConsentChange> changes)
    {
        var now = Environment.TickCount64;
        lock (_gate)
        {
            foreach (var change in changes.Where(c => c.Withdrawn))
                _withdrawals.Add(change.Id, change.SubscriberId!.Value, change.ListId, now);
            _seen = Math.Max(_seen!.Value, changes.Count > 0 ? changes[^1].Id : cursor.SeenId);
            _reads.Enqueue((now, _seen.Value));
            while (_reads.TryPeek(out var read) && read.At <= now - OverlapMs)
                _after = _reads.Dequeue().Seen;
            _withdrawals.ForgetBefore(now - MemoryMs);
        }
    }
}
