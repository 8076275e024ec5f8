using Dapper;
using Newsletter.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Newsletter.Subscribers;

/// <summary>
/// One import as one transaction: rows stream into a temporary staging table by binary COPY, then a
/// few set-based statements merge them. Disposing without <see cref="CommitAsync"/> rolls everything back.
/// </summary>
public sealed class SubscriberImportStore : IAsyncDisposable
{
    private static readonly SqlQueries Sql = SqlQueries.Load(typeof(SubscriberImportStore).Assembly, "Subscribers.Sql.import.sql");
    private static readonly string CreateStagingSql = Sql["create-staging"];
    private static readonly string CopyStagingSql = Sql["copy-staging"];
    private static readonly string OutcomeCountsSql = Sql["outcome-counts"];
    private static readonly string ClassifySql = Sql["classify"];
    private static readonly string MergeSql = Sql["merge"];
    private static readonly string MergeConcurrentSql = Sql["merge-concurrent"];

    // The staging table's standing values, by enum value; import.sql reads them.
    private static readonly string[] StandingNames = Enum.GetNames<ImportStatus.Standing>().Select(n => n.ToLowerInvariant()).ToArray();

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly long _listId;
    private NpgsqlBinaryImporter? _copy;

    private SubscriberImportStore(NpgsqlConnection connection, NpgsqlTransaction transaction, long listId)
    {
        _connection = connection;
        _transaction = transaction;
        _listId = listId;
    }

    public static async Task<SubscriberImportStore> BeginAsync(NpgsqlDataSource database, long listId, CancellationToken cancellationToken = default)
    {
        var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(CreateStagingSql, transaction: transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            var store = new SubscriberImportStore(connection, transaction, listId);
            store._copy = await connection.BeginBinaryImportAsync(CopyStagingSql, cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stages one valid row; <paramref name="attributesJson"/> is a JSON object.</summary>
    /// <param name="suppressReason">The suppression reason when <paramref name="standing"/> is <see cref="ImportStatus.Standing.Suppressed"/>.</param>
    public async Task AddAsync(long line, string email, string name, string attributesJson, ImportStatus.Standing standing,
        string? suppressReason, CancellationToken cancellationToken = default)
    {
        var copy = _copy ?? throw new InvalidOperationException("The rows were merged already.");
        await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
        await copy.WriteAsync(line, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
        await copy.WriteAsync(email, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
        await copy.WriteAsync(name, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
        await copy.WriteAsync(attributesJson, NpgsqlDbType.Jsonb, cancellationToken).ConfigureAwait(false);
        await copy.WriteAsync(StandingNames[(int)standing], NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
        if (suppressReason is null)
            await copy.WriteNullAsync(cancellationToken).ConfigureAwait(false);
        else
            await copy.WriteAsync(suppressReason, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Merges the staged rows into the list and commits. <paramref name="detailJson"/> goes into each consent event.</summary>
    public async Task<ImportMergeCounts> CommitAsync(bool confirmed, string detailJson, CancellationToken cancellationToken = default)
    {
        var copy = _copy ?? throw new InvalidOperationException("The rows were merged already.");
        _copy = null;
        await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
        await copy.DisposeAsync().ConfigureAwait(false);

        var ids = new { ListId = _listId, Confirmed = confirmed, Detail = detailJson };
        await Execute(ClassifySql, ids).ConfigureAwait(false);
        var counts = await _connection.QuerySingleAsync<ImportMergeCounts>(new CommandDefinition(OutcomeCountsSql,
            transaction: _transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await _transaction.SaveAsync("merge", cancellationToken).ConfigureAwait(false);
        try
        {
            await Execute(MergeSql, ids).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.ForeignKeyViolation)
        {
            // Someone subscribed, or a known subscriber was removed, since classify looked.
            await _transaction.RollbackAsync("merge", cancellationToken).ConfigureAwait(false);
            await Execute(MergeConcurrentSql, ids).ConfigureAwait(false);
        }
        await _transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return counts;

        Task Execute(string sql, object? parameters) => _connection.ExecuteAsync(new CommandDefinition(sql, parameters,
            _transaction, commandTimeout: 0, cancellationToken: cancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        if (_copy is not null)
            await _copy.DisposeAsync().ConfigureAwait(false);
        await _transaction.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
