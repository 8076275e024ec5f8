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
    private static readonly string InsertIssueSql = Sql["insert-issue"];
    private static readonly string UpdateIssueSql = Sql["update-issue"];
    private static readonly string IssueSummariesSql = Sql["issue-summaries"];

    public async Task<long> UpsertIssueAsync(string slug, string title, string source, string? sourceFile,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(UpsertIssueSql,
            new { Slug = slug, Title = title, Source = source, SourceFile = sourceFile }, cancellationToken: cancellationToken));
    }

    /// <summary>Stores a new issue; null when another issue has the slug (it is left as it was).</summary>
    public async Task<long?> InsertIssueAsync(string slug, string title, string source, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(InsertIssueSql,
            new { Slug = slug, Title = title, Source = source }, cancellationToken: cancellationToken));
    }

    /// <summary>Replaces one issue's text (and slug and title with it); false when another issue has the slug or none has the id.</summary>
    public async Task<bool> UpdateIssueAsync(long id, string slug, string title, string source, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        try
        {
            return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(UpdateIssueSql,
                new { Id = id, Slug = slug, Title = title, Source = source }, cancellationToken: cancellationToken)) is not null;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Another issue took the slug between the check and the update.
            return false;
        }
    }

    /// <summary>Every issue with its state, most recently changed first.</summary>
    public async Task<IReadOnlyList<IssueSummary>> IssueSummariesAsync(CancellationToken cancellationToken = default) =>
        await SummariesAsync(null, cancellationToken);

    public async Task<IssueSummary?> FindIssueSummaryAsync(long id, CancellationToken cancellationToken = default) =>
        (await SummariesAsync(id, cancellationToken)).SingleOrDefault();

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

    public async Task<IssueRecord?> FindIssueAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<IssueRecord>(
            new CommandDefinition(GetIssueSql, new { Id = id }, cancellationToken: cancellationToken));
    }

    /// <exception cref="InvalidOperationException">No issue has this id.</exception>
    public async Task<IssueRecord> GetIssueAsync(long id, CancellationToken cancellationToken = default) =>
        await FindIssueAsync(id, cancellationToken) ?? throw new InvalidOperationException($"Issue {id} does not exist.");

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

    private async Task<IReadOnlyList<IssueSummary>> SummariesAsync(long? id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Id, string Slug, string Title, string State, DateTime UpdatedAt)>(
            new CommandDefinition(IssueSummariesSql, new { Id = id }, cancellationToken: cancellationToken));
        return rows.Select(r => new IssueSummary(r.Id, r.Slug, r.Title, IssueStateNames.ToIssueState(r.State), r.UpdatedAt)).ToList();
    }
}
