using System.Data;
using Dapper;
using Newsletter.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Newsletter.Subscribers;

/// <summary>Imports started from the author's pages: the uploaded file, the job's progress, the outcome and the refused rows.</summary>
public sealed class ListImportStore(NpgsqlDataSource database)
{
    private static readonly SqlQueries Sql = SqlQueries.Load(typeof(ListImportStore).Assembly, "Subscribers.Sql.list-imports.sql");
    private static readonly string InsertImportSql = Sql["insert-import"];
    private static readonly string FindImportSql = Sql["find-import"];
    private static readonly string RecentImportsSql = Sql["recent-imports"];
    private static readonly string StartImportSql = Sql["start-import"];
    private static readonly string ReadFileSql = Sql["read-file"];
    private static readonly string ReportProgressSql = Sql["report-progress"];
    private static readonly string FinishImportSql = Sql["finish-import"];
    private static readonly string InsertRejectionsSql = Sql["insert-rejections"];
    private static readonly string FailImportSql = Sql["fail-import"];
    private static readonly string RejectionsSql = Sql["rejections"];

    /// <summary>Stores the file, streamed into its row, and returns the new import's id.</summary>
    public async Task<long> AddAsync(long listId, string fileName, bool confirmed, Stream file, long length,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(InsertImportSql, connection);
        command.Parameters.AddWithValue("ListId", listId);
        command.Parameters.AddWithValue("FileName", fileName);
        command.Parameters.AddWithValue("Confirmed", confirmed);
        command.Parameters.Add(new NpgsqlParameter("File", NpgsqlDbType.Bytea) { Value = file, Size = checked((int)length) });
        command.Parameters.AddWithValue("TotalBytes", length);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<ListImport?> FindAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<ListImport>(new CommandDefinition(FindImportSql, new { Id = id },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The list's latest imports, newest first.</summary>
    public async Task<IReadOnlyList<ListImport>> RecentAsync(string listSlug, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<ListImport>(new CommandDefinition(RecentImportsSql, new { Slug = listSlug, Limit = limit },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }

    /// <summary>Marks the import running; false when it is over (a job run again after it finished).</summary>
    public async Task<bool> StartAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(StartImportSql, new { Id = id },
            cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
    }

    /// <summary>Hands the stored file to <paramref name="read"/> as a stream straight from the database, in constant memory.</summary>
    public async Task<T> ReadFileAsync<T>(long id, Func<Stream, Task<T>> read, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(ReadFileSql, connection);
        command.Parameters.AddWithValue("Id", id);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess | CommandBehavior.SingleRow,
            cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false) || await reader.IsDBNullAsync(0, cancellationToken).ConfigureAwait(false))
            throw new InvalidOperationException($"Import {id} has no file left to read.");
        await using var file = await reader.GetStreamAsync(0, cancellationToken).ConfigureAwait(false);
        return await read(file).ConfigureAwait(false);
    }

    public async Task ReportProgressAsync(long id, long readBytes, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(ReportProgressSql, new { Id = id, ReadBytes = readBytes },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Records the summary and the refused rows together, and drops the file.</summary>
    public async Task FinishAsync(long id, ImportSummary summary, IReadOnlyList<ImportRejection> rejections,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(rejections);
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(InsertRejectionsSql, new
        {
            Id = id,
            Lines = rejections.Select(r => r.Line).ToArray(),
            Reasons = rejections.Select(r => r.Reason).ToArray(),
        }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(FinishImportSql, new
        {
            Id = id,
            summary.Read,
            summary.Imported,
            summary.Updated,
            summary.Rejected,
            summary.Suppressed,
            summary.Unsubscribed,
            summary.Duplicates,
        }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records why the import changed nothing, and drops the file.</summary>
    public async Task FailAsync(long id, string error, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(FailImportSql, new { Id = id, Error = error },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The rows the import refused, by line.</summary>
    public async IAsyncEnumerable<ImportRejection> RejectionsAsync(long id,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var row in connection.QueryUnbufferedAsync<ImportRejection>(RejectionsSql, new { Id = id })
                           .WithCancellation(cancellationToken).ConfigureAwait(false))
            yield return row;
    }
}
