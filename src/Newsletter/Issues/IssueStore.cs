using Dapper;
using Newsletter.Storage;
using Npgsql;

namespace Newsletter.Issues;

/// <summary>The issues the author stored: their source, whether they are ready, and which have gone out.</summary>
public sealed class IssueStore(NpgsqlDataSource database)
{
    private static readonly SqlQueries Sql = SqlQueries.Load(typeof(IssueStore).Assembly, "Issues.Sql.issues.sql");
    private static readonly string UpsertIssueSql = Sql["upsert-issue"];
    private static readonly string FindIssueSql = Sql["find-issue"];
    private static readonly string PublishedIssuesSql = Sql["published-issues"];
    private static readonly string FindPublishedIssueSql = Sql["find-published-issue"];
    private static readonly string GetIssueSql = Sql["get-issue"];
    private static readonly string ListIssuesSql = Sql["list-issues"];
    private static readonly string MarkReadySql = Sql["mark-ready"];
    private static readonly string NextReadyIssueSql = Sql["next-ready-issue"];

    public async Task<long> UpsertIssueAsync(string slug, string title, string source, string? sourceFile,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(UpsertIssueSql,
            new { Slug = slug, Title = title, Source = source, SourceFile = sourceFile }, cancellationToken: cancellationToken));
    }

    public async Task<IssueRecord?> FindIssueAsync(string slug, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<IssueRecord>(
            new CommandDefinition(FindIssueSql, new { Slug = slug }, cancellationToken: cancellationToken));
    }

    /// <summary>Issues that have started going out, newest first, with the moment they did.</summary>
    public async Task<IReadOnlyList<(string Slug, string Title, DateTime PublishedAt)>> PublishedIssuesAsync(
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<(string, string, DateTime)>(
            new CommandDefinition(PublishedIssuesSql, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>The issue with this slug if it has started going out, without its source; drafts are null.</summary>
    public async Task<PublishedIssue?> FindPublishedIssueAsync(string slug, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<PublishedIssue>(
            new CommandDefinition(FindPublishedIssueSql, new { Slug = slug }, cancellationToken: cancellationToken));
    }

    public async Task<IssueRecord> GetIssueAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<IssueRecord>(
            new CommandDefinition(GetIssueSql, new { Id = id }, cancellationToken: cancellationToken));
    }

    /// <summary>Every issue, oldest first, with how many sends (not cancelled) it has.</summary>
    public async Task<IReadOnlyList<(IssueRecord Issue, int Sends)>> ListIssuesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<IssueRecord, int, (IssueRecord, int)>(
            new CommandDefinition(ListIssuesSql, cancellationToken: cancellationToken), (issue, sends) => (issue, sends), splitOn: "Sends");
        return rows.ToList();
    }

    /// <summary>Marks an issue ready for the weekly schedule; false when no issue has that slug.</summary>
    public async Task<bool> MarkReadyAsync(string slug, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(
            new CommandDefinition(MarkReadySql, new { Slug = slug }, cancellationToken: cancellationToken)) is not null;
    }

    /// <summary>The oldest issue marked ready that never went (and is not going) to any of these lists, or null.</summary>
    public async Task<long?> NextReadyIssueAsync(long[] listIds, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(
            new CommandDefinition(NextReadyIssueSql, new { ListIds = listIds }, cancellationToken: cancellationToken));
    }
}
