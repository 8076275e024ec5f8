using Dapper;
using Newsletter.Storage;
using Npgsql;

namespace Newsletter.Sending;

/// <summary>
/// Sends: what the author scheduled. A send's ledger is <see cref="DeliveryStore"/>'s,
/// which freezes it inside this store's preparing transaction.
/// </summary>
public sealed class SendStore(NpgsqlDataSource database, DeliveryStore deliveries)
{
    private static readonly SqlQueries Sql = SqlQueries.Load(typeof(SendStore).Assembly, "Sending.Sql.sends.sql");
    private static readonly string ListIdsBySlugSql = Sql["list-ids-by-slug"];
    private static readonly string CreateSendSql = Sql["create-send"];
    private static readonly string GetSendSql = Sql["get-send"];
    private static readonly string SendsBeforeSql = Sql["sends-before"];
    private static readonly string DueScheduledSendsSql = Sql["due-scheduled-sends"];
    private static readonly string StalledSendsSql = Sql["stalled-sends"];
    private static readonly string PrepareSendSql = Sql["prepare-send"];
    private static readonly string SetRecipientsSql = Sql["set-recipients"];
    private static readonly string StartSendSql = Sql["start-send"];
    private static readonly string GetContentSql = Sql["get-content"];
    private static readonly string GetBatchStateSql = Sql["get-batch-state"];
    private static readonly string NoteFirstSentSql = Sql["note-first-sent"];
    private static readonly string SetStatusSql = Sql["set-status"];
    private static readonly string StatusSql = Sql["status"];
    private static readonly string CancelSendSql = Sql["cancel-send"];
    private static readonly string LockSendsOfIssueSql = Sql["lock-sends-of-issue"];
    private static readonly string EarlierSendSql = Sql["earlier-send"];

    /// <summary>List ids by slug, in the order given; the unknown slugs are reported, not skipped.</summary>
    public async Task<(long[] Ids, string[] Unknown)> ResolveListsAsync(IReadOnlyList<string> slugs,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var found = (await connection.QueryAsync<(string Slug, long Id)>(
                new CommandDefinition(ListIdsBySlugSql, new { Slugs = slugs.ToArray() }, cancellationToken: cancellationToken)))
            .ToDictionary(r => r.Slug, r => r.Id);
        return (slugs.Where(found.ContainsKey).Select(s => found[s]).Distinct().ToArray(),
            slugs.Where(s => !found.ContainsKey(s)).ToArray());
    }

    /// <summary>
    /// Creates a send. With <paramref name="once"/>, an issue that already went, is going or will go to any of
    /// the lists is refused instead, checked and created under one lock so that two requests at once cannot
    /// both pass.
    /// </summary>
    /// <exception cref="IssueAlreadySentException">With <paramref name="once"/>: the earlier send; nothing is created.</exception>
    public async Task<long> CreateSendAsync(long issueId, long[] listIds, DateTime scheduledAt, string? scheduleId,
        bool onlyMissed = false, bool once = false, string? preflightOverride = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (once)
        {
            await connection.ExecuteAsync(new CommandDefinition(LockSendsOfIssueSql, new { IssueId = issueId }, transaction,
                cancellationToken: cancellationToken));
            if (await connection.QuerySingleOrDefaultAsync<SendRecord>(new CommandDefinition(EarlierSendSql,
                    new { IssueId = issueId, ListIds = listIds }, transaction, cancellationToken: cancellationToken)) is { } earlier)
                throw new IssueAlreadySentException(earlier);
        }
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(CreateSendSql,
            new
            {
                IssueId = issueId, ListIds = listIds, ScheduledAt = scheduledAt, ScheduleId = scheduleId, OnlyMissed = onlyMissed,
                PreflightOverride = preflightOverride,
            },
            transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return id;
    }

    public async Task<SendRecord?> GetSendAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<SendRecord>(
            new CommandDefinition(GetSendSql, new { Id = id }, cancellationToken: cancellationToken));
    }

    /// <summary>The latest 100 sends, newest first.</summary>
    public Task<IReadOnlyList<SendRecord>> ListSendsAsync(CancellationToken cancellationToken = default) =>
        SendsBeforeAsync(long.MaxValue, 100, cancellationToken);

    /// <summary>Up to <paramref name="limit"/> sends older than the send <paramref name="before"/>, newest first.</summary>
    public async Task<IReadOnlyList<SendRecord>> SendsBeforeAsync(long before, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<SendRecord>(new CommandDefinition(SendsBeforeSql, new { Before = before, Limit = limit },
            cancellationToken: cancellationToken))).ToList();
    }

    public async Task<long[]> DueScheduledSendsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<long>(new CommandDefinition(DueScheduledSendsSql, cancellationToken: cancellationToken))).ToArray();
    }

    public async Task<long[]> StalledSendsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<long>(new CommandDefinition(StalledSendsSql, cancellationToken: cancellationToken))).ToArray();
    }

    /// <summary>
    /// Stores the rendering and freezes the audience (in <paramref name="freezeParts"/> parts at once), so a
    /// send is either not prepared or prepared with its full ledger; rows of an earlier attempt that did not
    /// prepare it are removed first. False when it was prepared already (or is no longer waiting to start).
    /// </summary>
    public async Task<bool> PrepareAsync(long id, string subject, string htmlBody, string textBody, long[] listIds, int freezeParts,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await deliveries.RemoveUnfinishedFreezeAsync(connection, id, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var onlyMissed = await connection.ExecuteScalarAsync<bool?>(new CommandDefinition(PrepareSendSql,
            new { Id = id, Subject = subject, HtmlBody = htmlBody, TextBody = textBody }, transaction, cancellationToken: cancellationToken));
        if (onlyMissed is null)
            return false;
        var recipients = await deliveries.FreezeAsync(transaction, id, listIds, freezeParts, onlyMissed.Value, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(SetRecipientsSql,
            new { Id = id, Recipients = recipients }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        await deliveries.AnalyzeAfterFreezeAsync(connection, cancellationToken);
        return true;
    }

    /// <summary>Moves a prepared, scheduled send to sending; false when it was not both.</summary>
    public async Task<bool> StartAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(
            new CommandDefinition(StartSendSql, new { Id = id }, cancellationToken: cancellationToken)) is not null;
    }

    public async Task<SendContent> GetContentAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<SendContent>(
            new CommandDefinition(GetContentSql, new { Id = id }, cancellationToken: cancellationToken));
    }

    public async Task<SendBatchState> GetBatchStateAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<SendBatchState>(
            new CommandDefinition(GetBatchStateSql, new { Id = id }, cancellationToken: cancellationToken));
    }

    public async Task NoteFirstSentAsync(long id, DateTime at, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(NoteFirstSentSql, new { Id = id, At = at }, cancellationToken: cancellationToken));
    }

    /// <summary>Moves the send to <paramref name="status"/> if it is in one of <paramref name="from"/>.</summary>
    public async Task<bool> TrySetStatusAsync(long id, SendStatus status, string? reason, IReadOnlyList<SendStatus> from,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(SetStatusSql,
            new { Id = id, Status = status.Name(), Reason = reason, FromStatuses = from.Select(s => s.Name()).ToArray() },
            cancellationToken: cancellationToken)) is not null;
    }

    /// <summary>
    /// Cancels a send that is scheduled, sending or paused, and closes its ledger in the same transaction: no
    /// row is left pending, and a freeze that failed part-way leaves none at all. False when it was none of those.
    /// </summary>
    public async Task<bool> CancelAsync(long id, string reason, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await connection.ExecuteScalarAsync<long?>(new CommandDefinition(CancelSendSql, new { Id = id, Reason = reason }, transaction,
                cancellationToken: cancellationToken)) is null)
            return false;
        await deliveries.CloseCancelledAsync(transaction, id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<SendStatus?> StatusAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var status = await connection.ExecuteScalarAsync<string?>(
            new CommandDefinition(StatusSql, new { Id = id }, cancellationToken: cancellationToken));
        return status is null ? null : StatusNames.ToSendStatus(status);
    }
}
