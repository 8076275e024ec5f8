using Dapper;
using Newsletter.Storage;
using Npgsql;

namespace Newsletter.Alerts;

public sealed class AlertStore(NpgsqlDataSource database)
{
    private static readonly SqlQueries Sql = SqlQueries.Load(typeof(AlertStore).Assembly, "Alerts.Sql.alerts.sql");
    private static readonly string AddAlertSql = Sql["add-alert"];
    private static readonly string GetAlertSql = Sql["get-alert"];
    private static readonly string MarkMailedSql = Sql["mark-mailed"];

    /// <summary>Records the alert; null when its event was alerted before.</summary>
    public async Task<long?> AddAsync(Alert alert, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(AddAlertSql, alert, cancellationToken: cancellationToken));
    }

    public async Task<AlertRecord?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<AlertRecord>(
            new CommandDefinition(GetAlertSql, new { Id = id }, cancellationToken: cancellationToken));
    }

    public async Task MarkMailedAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(MarkMailedSql, new { Id = id }, cancellationToken: cancellationToken));
    }
}
