using Microsoft.Extensions.Logging;

namespace Newsletter.Sending;

/// <summary>
/// Follows the consent log for the outcome writer, which reads it at each flush, and answers whether a
/// reader withdrew since. Event ids are taken at insert but become visible at commit, so a later id can
/// be read before an earlier one commits: each read goes back over the ids of the last
/// <see cref="OverlapMs"/> milliseconds, for opt-outs only, so such an event is still seen.
/// </summary>
internal sealed class ConsentLogReader(DeliveryStore store, long memoryMs)
{
    private const long OverlapMs = 250;

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

    /// <summary>Reads what the log gained; a failure is logged and the next read starts from the same place.</summary>
    public async Task ReadAsync(ILogger logger, CancellationToken cancellationToken = default)
    {
        long after, seen;
        lock (_gate)
        {
            if (_seen is not { } known)
                return;
            (after, seen) = (_after, known);
        }
        try
        {
            var changes = await store.ConsentChangesAfterAsync(after, seen, cancellationToken);
            var now = Environment.TickCount64;
            lock (_gate)
            {
                foreach (var change in changes.Where(c => c.Withdrawn))
                    _withdrawals.Add(change.Id, change.SubscriberId!.Value, change.ListId, now);
                _seen = Math.Max(seen, changes.Count > 0 ? changes[^1].Id : seen);
                _reads.Enqueue((now, _seen.Value));
                while (_reads.TryPeek(out var read) && read.At <= now - OverlapMs)
                    _after = _reads.Dequeue().Seen;
                _withdrawals.ForgetBefore(now - memoryMs);
            }
        }
        catch (Exception e)
        {
            // The outcomes are in; the claims still check consent.
            logger.LogWarning(e, "Could not read the consent log after event {EventId}", seen);
        }
    }
}
