using Dapper;
using Newsletter.Storage;
using Npgsql;

namespace Newsletter.Sending;

/// <summary>Issues and sends: what the author stored and scheduled.</summary>
public sealed class SendStore(NpgsqlDataSource database)
{
    private static readonly SqlQueries Sql = SqlQueries.Load(typeof(SendStore).Assembly, "Sending.Sql.sends.sql");

    public async Task<long> UpsertIssueAsync(string slug, string title, string source, string? sourceFile)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(Sql["upsert-issue"],
            new { Slug = slug, Title = title, Source = source, SourceFile = sourceFile });
    }

    public async Task<IssueRecord?> FindIssueAsync(string slug)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<IssueRecord>(Sql["find-issue"], new { Slug = slug });
    }

    /// <summary>Issues that have started going out, newest first, with the moment they did.</summary>
    public async Task<IReadOnlyList<(string Slug, string Title, DateTime PublishedAt)>> PublishedIssuesAsync()
    {
        await using var connection = await database.OpenConnectionAsync();
        return (await connection.QueryAsync<(string, string, DateTime)>(Sql["published-issues"])).ToList();
    }

    /// <summary>The issue with this slug if it has started going out; drafts are null.</summary>
    public async Task<IssueRecord?> FindPublishedIssueAsync(string slug)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<IssueRecord>(Sql["find-published-issue"], new { Slug = slug });
    }

    public async Task<IssueRecord> GetIssueAsync(long id)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.QuerySingleAsync<IssueRecord>(Sql["get-issue"], new { Id = id });
    }

    public async Task<IReadOnlyList<(IssueRecord Issue, int Sends)>> ListIssuesAsync()
    {
        await using var connection = await database.OpenConnectionAsync();
        var rows = await connection.QueryAsync<IssueRecord, int, (IssueRecord, int)>(
            Sql["list-issues"], (issue, sends) => (issue, sends), splitOn: "Sends");
        return rows.ToList();
    }

    /// <summary>Marks an issue ready for the weekly schedule; false when no issue has that slug.</summary>
    public async Task<bool> MarkReadyAsync(string slug)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long?>(Sql["mark-ready"], new { Slug = slug }) is not null;
    }

    public async Task<long?> NextReadyIssueAsync(long[] listIds)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long?>(Sql["next-ready-issue"], new { ListIds = listIds });
    }

    /// <summary>List ids by slug, in the order given; the unknown slugs are reported, not skipped.</summary>
    public async Task<(long[] Ids, string[] Unknown)> ResolveListsAsync(IReadOnlyList<string> slugs)
    {
        await using var connection = await database.OpenConnectionAsync();
        var found = (await connection.QueryAsync<(string Slug, long Id)>(Sql["list-ids-by-slug"], new { Slugs = slugs.ToArray() }))
            .ToDictionary(r => r.Slug, r => r.Id);
        return (slugs.Where(found.ContainsKey).Select(s => found[s]).Distinct().ToArray(),
            slugs.Where(s => !found.ContainsKey(s)).ToArray());
    }

    public async Task<long> CreateSendAsync(long issueId, long[] listIds, DateTime scheduledAt, string? scheduleId)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(Sql["create-send"],
            new { IssueId = issueId, ListIds = listIds, ScheduledAt = scheduledAt, ScheduleId = scheduleId });
    }

    public async Task<SendRecord?> GetSendAsync(long id)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<SendRecord>(Sql["get-send"], new { Id = id });
    }

    public async Task<IReadOnlyList<SendRecord>> ListSendsAsync()
    {
        await using var connection = await database.OpenConnectionAsync();
        return (await connection.QueryAsync<SendRecord>(Sql["list-sends"])).ToList();
    }

    public async Task<long[]> DueScheduledSendsAsync()
    {
        await using var connection = await database.OpenConnectionAsync();
        return (await connection.QueryAsync<long>(Sql["due-scheduled-sends"])).ToArray();
    }

    public async Task<long[]> StalledSendsAsync()
    {
        await using var connection = await database.OpenConnectionAsync();
        return (await connection.QueryAsync<long>(Sql["stalled-sends"])).ToArray();
    }

    /// <summary>
    /// Stores the rendering and freezes the audience (in <paramref name="freezeParts"/> parts at once), so a
    /// send is either not prepared or prepared with its full ledger; rows of an earlier attempt that did not
    /// prepare it are removed first. False when it was prepared already (or is no longer waiting to start).
    /// </summary>
    public async Task<bool> PrepareAsync(long id, string subject, string htmlBody, string textBody, long[] listIds, int freezeParts)
    {
        await using var connection = await database.OpenConnectionAsync();
        await AudienceFreeze.RemoveUnfinishedAsync(connection, id);
        await using var transaction = await connection.BeginTransactionAsync();
        var prepared = await connection.ExecuteScalarAsync<long?>(Sql["prepare-send"],
            new { Id = id, Subject = subject, HtmlBody = htmlBody, TextBody = textBody }, transaction);
        if (prepared is null)
            return false;
        var recipients = await AudienceFreeze.InsertAsync(database, transaction, id, listIds, freezeParts);
        await connection.ExecuteAsync(Sql["set-recipients"], new { Id = id, Recipients = recipients }, transaction);
        await transaction.CommitAsync();
        await connection.ExecuteAsync(DeliveryStore.AnalyzeAfterFreezeSql, commandTimeout: 600);
        return true;
    }

    /// <summary>Moves a prepared, scheduled send to sending; false when it was not both.</summary>
    public async Task<bool> StartAsync(long id)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long?>(Sql["start-send"], new { Id = id }) is not null;
    }

    public async Task<SendContent> GetContentAsync(long id)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.QuerySingleAsync<SendContent>(Sql["get-content"], new { Id = id });
    }

    public async Task<SendBatchState> GetBatchStateAsync(long id)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.QuerySingleAsync<SendBatchState>(Sql["get-batch-state"], new { Id = id });
    }

    public async Task NoteFirstSentAsync(long id, DateTime at)
    {
        await using var connection = await database.OpenConnectionAsync();
        await connection.ExecuteAsync(Sql["note-first-sent"], new { Id = id, At = at });
    }

    /// <summary>Moves the send to <paramref name="status"/> if it is in one of <paramref name="from"/>.</summary>
    public async Task<bool> TrySetStatusAsync(long id, string status, string? reason, params string[] from)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long?>(Sql["set-status"],
            new { Id = id, Status = status, Reason = reason, FromStatuses = from }) is not null;
    }

    public async Task<string?> StatusAsync(long id)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string?>(Sql["status"], new { Id = id });
    }
}
