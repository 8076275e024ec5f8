using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;

namespace Newsletter.Sending;

/// <summary>
/// One per process. Every batch hands each message's outcome here as soon as the relay has answered, and
/// the writer commits all batches' outcomes together: one statement per send, the next flush starting
/// as soon as the last has ended, at most one per <c>OutcomeFlushMilliseconds</c>. A crash then resends
/// only what was accepted in the last few milliseconds, and PostgreSQL sees one round trip per send per
/// flush, however many connections are sending. Each flush also reads back the sends' status (a pause or
/// cancel reaches every batch within a flush) and the consent log's latest opt-outs. While PostgreSQL is
/// unreachable the outcomes stay here and are retried with backoff; the batches waiting on them get the error.
/// </summary>
public sealed class OutcomeWriter : IAsyncDisposable
{
    // Longer than a batch holds a row between its claim (which checks consent) and its message.
    private static readonly long WithdrawalMemoryMs = (long)TimeSpan.FromHours(1).TotalMilliseconds;
    private const int MaxBackoffMs = 2_000;

    private readonly DeliveryStore _store;
    private readonly long _intervalMs;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    private Dictionary<long, DeliveryOutcomes> _waiting = [];
    private HashSet<long> _writing = [];
    private TaskCompletionSource _nextFlush = NewFlush();
    private TaskCompletionSource _currentFlush = NewFlush();

    // Each send's status as of the newest read (Environment.TickCount64 taken before it).
    private readonly Dictionary<long, (SendStatus Status, long AsOf)> _statuses = [];
    private readonly ConsentWithdrawals _withdrawals = new();
    private long? _consentSeen;

    public OutcomeWriter(DeliveryStore store, IOptions<SendingOptions> options, ILogger<OutcomeWriter> logger)
    {
        _store = store;
        _intervalMs = options.Value.OutcomeFlushMilliseconds;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Moves <paramref name="outcomes"/> into the next flush, leaving it empty.</summary>
    public void Hand(long sendId, DeliveryOutcomes outcomes)
    {
        if (outcomes.Count == 0)
            return;
        lock (_gate)
        {
            if (!_waiting.TryGetValue(sendId, out var waiting))
                _waiting[sendId] = waiting = new DeliveryOutcomes();
            outcomes.MoveTo(waiting);
            Wake();
        }
    }

    /// <summary>Completes once every outcome handed for the send is in the ledger; fails when the flush carrying them failed.</summary>
    public Task RecordedAsync(long sendId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_waiting.ContainsKey(sendId))
                return _nextFlush.Task.WaitAsync(cancellationToken);
            return _writing.Contains(sendId) ? _currentFlush.Task.WaitAsync(cancellationToken) : Task.CompletedTask;
        }
    }

    /// <summary>Notes a status read elsewhere; <paramref name="asOf"/> is Environment.TickCount64 from before the read.</summary>
    public void Observe(long sendId, SendStatus status, long asOf)
    {
        lock (_gate)
        {
            if (!_statuses.TryGetValue(sendId, out var known) || known.AsOf <= asOf)
                _statuses[sendId] = (status, asOf);
        }
    }

    /// <summary>Whether the send was still sending at the latest read.</summary>
    public bool StillSending(long sendId)
    {
        lock (_gate)
            return !_statuses.TryGetValue(sendId, out var known) || known.Status == SendStatus.Sending;
    }

    /// <summary>Starts reading the consent log from where it ends now; a batch calls this before its first claim.</summary>
    public async Task WatchConsentAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_consentSeen is not null)
                return;
        }
        var end = await _store.ConsentLogEndAsync(cancellationToken);
        lock (_gate)
            _consentSeen ??= end;
    }

    /// <summary>Whether the reader opted out of one of <paramref name="listIds"/>, or was suppressed, since their row was claimed.</summary>
    public bool Withdrawn(long subscriberId, long[] listIds)
    {
        lock (_gate)
            return _withdrawals.Covers(subscriberId, listIds);
    }

    private async Task RunAsync()
    {
        var failures = 0;
        var lastStart = Environment.TickCount64 - _intervalMs;
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(_stopping.Token);
                var wait = lastStart + _intervalMs - Environment.TickCount64;
                if (wait > 0)
                    await Task.Delay(TimeSpan.FromMilliseconds(wait), _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            lastStart = Environment.TickCount64;
            // A flush under way is never cut short: what it carries went out already.
            if (await FlushAsync(CancellationToken.None))
            {
                failures = 0;
                continue;
            }
            failures++;
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(MaxBackoffMs, 50 << Math.Min(failures, 6))), _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            lock (_gate)
                Wake();
        }
        // Stopping: one last try for whatever a batch handed over on its way out.
        await FlushAsync(CancellationToken.None);
    }

    private async Task<bool> FlushAsync(CancellationToken cancellationToken = default)
    {
        Dictionary<long, DeliveryOutcomes> flushing;
        TaskCompletionSource flush;
        long? consentSeen;
        lock (_gate)
        {
            if (_waiting.Count == 0)
                return true;
            flushing = _waiting;
            _waiting = [];
            _writing = [.. flushing.Keys];
            flush = _currentFlush = _nextFlush;
            _nextFlush = NewFlush();
            consentSeen = _consentSeen;
        }

        try
        {
            foreach (var sendId in flushing.Keys.ToList())
            {
                var asOf = Environment.TickCount64;
                var status = await _store.RecordAsync(sendId, flushing[sendId], cancellationToken);
                flushing.Remove(sendId);
                if (status is { } recorded)
                    Observe(sendId, recorded, asOf);
            }
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Could not record the outcomes of {Count} sends; keeping them to try again", flushing.Count);
            lock (_gate)
            {
                foreach (var (sendId, outcomes) in flushing)
                {
                    if (_waiting.Remove(sendId, out var handedSince))
                        handedSince.MoveTo(outcomes);
                    _waiting[sendId] = outcomes;
                }
                _writing = [];
            }
            flush.SetException(e);
            return false;
        }

        if (consentSeen is { } after)
            await ReadConsentAsync(after, cancellationToken);
        lock (_gate)
            _writing = [];
        flush.SetResult();
        return true;
    }

    private async Task ReadConsentAsync(long after, CancellationToken cancellationToken = default)
    {
        try
        {
            var changes = await _store.ConsentChangesAfterAsync(after, cancellationToken);
            var now = Environment.TickCount64;
            lock (_gate)
            {
                foreach (var change in changes.Where(c => c.Withdrawn))
                    _withdrawals.Add(change.SubscriberId!.Value, change.ListId, now);
                if (changes.Count > 0)
                    _consentSeen = changes[^1].Id;
                _withdrawals.ForgetBefore(now - WithdrawalMemoryMs);
            }
        }
        catch (Exception e)
        {
            // The outcomes are in; the claims still check consent, and the next flush reads on from the same place.
            _logger.LogWarning(e, "Could not read the consent log after event {EventId}", after);
        }
    }

    // Called under _gate.
    private void Wake()
    {
        if (_wake.CurrentCount == 0)
            _wake.Release();
    }

    private static TaskCompletionSource NewFlush() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _loop;
        _stopping.Dispose();
        _wake.Dispose();
    }
}
