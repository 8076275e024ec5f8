using Dapper;
using Newsletter.Storage;
using Npgsql;

namespace Newsletter.Operations;

/// <summary>What the health checks ask the database.</summary>
public sealed class HealthStore(NpgsqlDataSource database)
{
    private static readonly SqlQueries Sql = SqlQueries.Load(typeof(HealthStore).Assembly, "Operations.Sql.health.sql");
    private static readonly string PingSql = Sql["ping"];

    /// <summary>One round trip on a pooled connection.</summary>
    /// <exception cref="NpgsqlException">The database cannot be reached.</exception>
    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteScalarAsync<int>(new CommandDefinition(PingSql, cancellationToken: cancellationToken));
    }
}
