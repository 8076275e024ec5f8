using Dapper;
using Newsletter.Storage;
using Npgsql;

namespace Newsletter.Operations;

/// <summary>What <see cref="AlertWatchJob"/> remembers between its rounds: the relay's outage and each send's first estimate.</summary>
public sealed class WatchStore(NpgsqlDataSource database)
{
    private static readonly SqlQueries Sql = SqlQueries.Load(typeof(WatchStore).Assembly, "Operations.Sql.watch.sql");
    private static readonly string RelayReachableSql = Sql["relay-reachable"];
    private static readonly string RelayUnreachableSql = Sql["relay-unreachable"];
    private static readonly string ForgetEstimatesSql = Sql["forget-estimates"];
    private static readonly string SendingSendsSql = Sql["sending-sends"];
    private static readonly string NoteEstimateSql = Sql["note-estimate"];

    public async Task RelayReachableAsync(string relay, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(RelayReachableSql, new { Relay = relay }, cancellationToken: cancellationToken));
    }

    /// <summary>Notes a failed probe; returns the outage it belongs to.</summary>
    public async Task<RelayOutage> RelayUnreachableAsync(string relay, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<RelayOutage>(
            new CommandDefinition(RelayUnreachableSql, new { Relay = relay }, cancellationToken: cancellationToken));
    }

    /// <summary>The sends being sent, after dropping the estimates of those that stopped.</summary>
    public async Task<IReadOnlyList<WatchedSend>> SendingSendsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(ForgetEstimatesSql, cancellationToken: cancellationToken));
        return (await connection.QueryAsync<WatchedSend>(new CommandDefinition(SendingSendsSql, cancellationToken: cancellationToken))).ToList();
    }

    public async Task NoteEstimateAsync(long sendId, double expectedSeconds, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(NoteEstimateSql,
            new { SendId = sendId, ExpectedSeconds = expectedSeconds }, cancellationToken: cancellationToken));
    }
}
