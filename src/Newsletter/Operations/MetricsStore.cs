using Dapper;
using Newsletter.Storage;
using Npgsql;

namespace Newsletter.Operations;

/// <summary>What the gauges of <c>/metrics</c> read from the database (<see cref="DatabaseGauges"/>).</summary>
public sealed class MetricsStore(NpgsqlDataSource database)
{
    private static readonly SqlQueries Sql = SqlQueries.Load(typeof(MetricsStore).Assembly, "Operations.Sql.metrics.sql");
    private static readonly string LedgerRowsSql = Sql["ledger-rows"];
    private static readonly string QueueDepthsSql = Sql["queue-depths"];

    /// <summary>The ledger rows of sends under way by state, and the jobs waiting per queue, in one round trip.</summary>
    /// <exception cref="NpgsqlException">The database cannot be read.</exception>
    public async Task<(IReadOnlyList<LedgerRows> Ledger, IReadOnlyList<QueueDepth> Queues)> ReadAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var results = await connection.QueryMultipleAsync(
            new CommandDefinition(LedgerRowsSql + "\n" + QueueDepthsSql, cancellationToken: cancellationToken));
        var ledger = (await results.ReadAsync<LedgerRows>()).ToList();
        var queues = (await results.ReadAsync<QueueDepth>()).ToList();
        return (ledger, queues);
    }
}

/// <summary>How many of a send's ledger rows are in one state (the state's word in the database).</summary>
public sealed record LedgerRows(long SendId, string State, long Rows);

/// <summary>How many jobs wait in one Hangfire queue.</summary>
public sealed record QueueDepth(string Queue, long Jobs);
