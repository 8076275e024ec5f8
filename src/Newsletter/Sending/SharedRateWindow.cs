namespace Newsletter.Sending;

/// <summary>
/// One rate limit shared by every node: a window (a second, an hour) with a budget in a database row
/// (<see cref="RateWindowStore"/>). A node takes a block of the budget at a time and spends it locally until
/// the window ends, so the database sees one claim per block rather than one per message. A block still in
/// hand when the window ends, or when its node dies, is lost: the nodes together may send a little less than
/// the limit, never more.
/// </summary>
public sealed class SharedRateWindow
{
    private readonly RateWindowStore _store;
    private readonly string _name;
    private readonly int _limit;
    private readonly int _block;
    private readonly TimeSpan _length;
    private readonly bool _aligned;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _claiming = new(1, 1);
    // Moments on Environment.TickCount64 (milliseconds): the node's clock may differ from the database's.
    private long _endsAt;
    private int _inHand;
    private int _leftInWindow;

    public SharedRateWindow(RateWindowStore store, string name, int limit, int block, TimeSpan length, bool aligned)
    {
        _store = store;
        _name = name;
        _limit = limit;
        _block = Math.Clamp(block, 1, limit);
        _length = length;
        _aligned = aligned;
    }

    /// <summary>What the window still allows all nodes, as last heard from the database; the whole limit when unknown.</summary>
    public int Left
    {
        get
        {
            lock (_gate)
                return Environment.TickCount64 >= _endsAt ? _limit : _inHand + _leftInWindow;
        }
    }

    /// <summary>How long until the window ends, when its budget is spent for all nodes; otherwise null.</summary>
    public TimeSpan? SpentFor
    {
        get
        {
            lock (_gate)
            {
                var left = _endsAt - Environment.TickCount64;
                return left > 0 && _inHand == 0 && _leftInWindow == 0 ? TimeSpan.FromMilliseconds(left) : null;
            }
        }
    }

    /// <summary>Takes one token; null when taken, otherwise how long until the spent window ends.</summary>
    public async ValueTask<TimeSpan?> TryTakeAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (TryTakeInHand(out var spentFor))
                return null;
            if (spentFor is not null)
                return spentFor;
            // One claim at a time per node: those that queued behind it find its block in hand.
            await _claiming.WaitAsync(cancellationToken);
            try
            {
                if (TryTakeInHand(out spentFor))
                    return null;
                if (spentFor is not null)
                    return spentFor;
                var asked = Environment.TickCount64;
                var grant = await _store.TakeAsync(_name, _block, _limit, _length, _aligned, cancellationToken);
                var answered = Environment.TickCount64;
                // The window's end as the database saw it, less the way back: spending a token a moment early
                // costs nothing, a moment late would count in the next window at the relay.
                var endsAt = answered + (long)(grant.SecondsLeft * 1000) - (answered - asked);
                if (endsAt <= answered)
                    continue;
                lock (_gate)
                    (_endsAt, _inHand, _leftInWindow) = (endsAt, grant.Granted, grant.LeftInWindow);
            }
            finally
            {
                _claiming.Release();
            }
        }
    }

    private bool TryTakeInHand(out TimeSpan? spentFor)
    {
        lock (_gate)
        {
            spentFor = null;
            var now = Environment.TickCount64;
            if (now >= _endsAt)
                return false;
            if (_inHand > 0)
            {
                _inHand--;
                return true;
            }
            if (_leftInWindow == 0)
                spentFor = TimeSpan.FromMilliseconds(_endsAt - now);
            return false;
        }
    }
}
