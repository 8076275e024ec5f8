using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Newsletter.Jobs;
using Newsletter.Telemetry;
using Npgsql;

namespace Newsletter.Operations;

/// <summary>
/// The gauges read from the database: ledger rows by state of the sends under way, and jobs waiting per Hangfire
/// queue. <c>/metrics</c> refreshes them before each collection, at most once every <see cref="MaxAge"/>, so a burst
/// of scrapes (several Prometheus servers, a dashboard's refreshes) costs PostgreSQL one read.
/// </summary>
public sealed class DatabaseGauges
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);
    private static readonly string[] KnownQueues = [JobQueues.Transactional, JobQueues.Default, JobQueues.Bulk];

    private readonly MetricsStore _store;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _reading = new(1, 1);
    private Snapshot _current = new([], []);
    private long? _readAt;

    public DatabaseGauges(NewsletterMetrics metrics, MetricsStore store, ILogger<DatabaseGauges> logger)
    {
        _store = store;
        _logger = logger;
        metrics.Meter.CreateObservableGauge("newsletter.ledger.rows", () => _current.Ledger.Select(r => new Measurement<long>(r.Rows,
                new KeyValuePair<string, object?>("send_id", r.SendId), new KeyValuePair<string, object?>("state", r.State))),
            "{row}", "Ledger rows of the sends under way (sending or paused), by state.");
        metrics.Meter.CreateObservableGauge("newsletter.jobs.enqueued", () => _current.Queues.Select(q => new Measurement<long>(q.Jobs,
                new KeyValuePair<string, object?>("queue", q.Queue))),
            "{job}", "Hangfire jobs waiting in each queue for a worker.");
    }

    /// <summary>
    /// Reads the database again unless the last read is recent. A failed read empties the gauges (no numbers rather
    /// than stale ones) and is not retried before <see cref="MaxAge"/>, so a database outage is not hammered either.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        if (Fresh())
            return;
        await _reading.WaitAsync(cancellationToken);
        try
        {
            if (Fresh())
                return;
            try
            {
                var (ledger, queues) = await _store.ReadAsync(cancellationToken);
                var depths = KnownQueues.Select(name => new QueueDepth(name, 0))
                    .Concat(queues).GroupBy(q => q.Queue).Select(g => new QueueDepth(g.Key, g.Sum(q => q.Jobs))).ToList();
                _current = new Snapshot(ledger, depths);
            }
            catch (NpgsqlException e)
            {
                _logger.LogWarning(e, "Could not read the ledger and queue gauges for /metrics");
                _current = new Snapshot([], []);
            }
            _readAt = Environment.TickCount64;
        }
        finally
        {
            _reading.Release();
        }
    }

    private bool Fresh() => _readAt is { } at && Environment.TickCount64 - at < MaxAge.TotalMilliseconds;

    private sealed record Snapshot(IReadOnlyList<LedgerRows> Ledger, IReadOnlyList<QueueDepth> Queues);
}
