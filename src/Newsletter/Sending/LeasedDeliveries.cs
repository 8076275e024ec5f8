using Microsoft.Extensions.Logging;

namespace Newsletter.Sending;

/// <summary>
/// The rows a batch job has claimed, under a lease that a background loop renews every quarter of its
/// length, whatever the batch is waiting on (a relay's rate limit, a slow server, a long flush), until
/// their outcomes are recorded. Renewed at flushes only, and only for rows not yet attempted, a batch
/// paced below one flush per lease lost its rows to recovery while still sending them, and every
/// recovered row went out again.
/// </summary>
public sealed class LeasedDeliveries : IAsyncDisposable
{
    private readonly DeliveryStore _store;
    private readonly long _sendId;
    private readonly TimeSpan _lease;
    private readonly ILogger _logger;
    private readonly List<ClaimedDelivery> _rows = [];

    // Every row of the last claim: attempted ones stay 'sending' until the writer's flush, and need the lease
    // as much as the rest (renewing a recorded row changes nothing: the statement skips it).
    private long[] _claimed = [];
    private readonly Lock _gate = new();
    private readonly PeriodicTimer _timer;
    private readonly Task _renewals;

    // Milliseconds of Environment.TickCount64 until which the rows are ours for sure: taken before the
    // statement that set the lease, so never later than PostgreSQL's own lease_until.
    private long _heldUntil;

    // Bumped by every claim: a renewal that read the rows before it must not vouch for the new ones.
    private int _generation;

    public LeasedDeliveries(DeliveryStore store, long sendId, TimeSpan lease, ILogger logger)
    {
        _store = store;
        _sendId = sendId;
        _lease = lease;
        _logger = logger;
        _timer = new PeriodicTimer(lease / 4);
        _renewals = RenewAsync();
    }

    public int Count
    {
        get { lock (_gate) return _rows.Count; }
    }

    /// <summary>The row to send next.</summary>
    public ClaimedDelivery Next
    {
        get { lock (_gate) return _rows[^1]; }
    }

    /// <summary>
    /// Whether the rows are still ours with a quarter of the lease to spare, time for one message: past
    /// that, renewals have been failing and recovery may hand the rows to another batch at any moment.
    /// </summary>
    public bool IsHeld
    {
        get { lock (_gate) return HeldWithMargin(); }
    }

    /// <summary>Claims the next rows of the send; returns whether any are now held.</summary>
    public async Task<bool> ClaimAsync(long[] listIds, int batchSize, CancellationToken cancellationToken = default)
    {
        var startedAt = Environment.TickCount64;
        var claimed = await _store.ClaimAsync(_sendId, listIds, batchSize, _lease, cancellationToken);
        lock (_gate)
        {
            // Taken from the end: the lowest subscriber id goes first, as the claims go through the list.
            _rows.AddRange(claimed.Where(d => d.Wanted).OrderByDescending(d => d.SubscriberId));
            _claimed = _rows.Select(d => d.SubscriberId).ToArray();
            _heldUntil = startedAt + (long)_lease.TotalMilliseconds;
            _generation++;
            return _rows.Count > 0;
        }
    }

    /// <summary>The row from <see cref="Next"/> was attempted; its outcome is the batch's to record, under the lease still.</summary>
    public void Attempted()
    {
        lock (_gate)
            _rows.RemoveAt(_rows.Count - 1);
    }

    /// <summary>
    /// Empties the hand and returns the rows to give back to pending; none when the lease may be gone,
    /// since another batch may hold them by now (recovery returns them once the lease has run out).
    /// </summary>
    public IReadOnlyCollection<long> TakeForRelease()
    {
        lock (_gate)
        {
            var ids = HeldWithMargin() ? _rows.Select(d => d.SubscriberId).ToList() : [];
            _rows.Clear();
            return ids;
        }
    }

    private bool HeldWithMargin() => Environment.TickCount64 < _heldUntil - (long)(_lease / 4).TotalMilliseconds;

    private async Task RenewAsync()
    {
        while (await _timer.WaitForNextTickAsync())
        {
            long[] ids;
            long startedAt;
            int generation;
            lock (_gate)
            {
                ids = _claimed;
                startedAt = Environment.TickCount64;
                generation = _generation;
            }
            if (ids.Length == 0)
                continue;
            try
            {
                await _store.ExtendLeaseAsync(_sendId, ids, _lease);
                lock (_gate)
                {
                    if (generation == _generation)
                        _heldUntil = startedAt + (long)_lease.TotalMilliseconds;
                }
            }
            catch (Exception e)
            {
                // The batch sees the lease run short through IsHeld and stops; nothing else to do here.
                _logger.LogWarning(e, "Send {SendId}: could not renew the lease on {Count} claimed rows", _sendId, ids.Length);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _timer.Dispose();
        await _renewals;
    }
}
