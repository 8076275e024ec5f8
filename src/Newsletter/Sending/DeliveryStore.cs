using System.Data;
using System.Text.RegularExpressions;
using Dapper;
using Newsletter.Storage;
using Npgsql;

namespace Newsletter.Sending;

/// <summary>
/// The per-recipient ledger of a send. Every status change is one statement for many rows. Each statement
/// is looked up once, when the type is first used (<see cref="SqlQueries"/>), so a misspelt name fails there.
/// </summary>
public sealed partial class DeliveryStore(NpgsqlDataSource database)
{
    private static readonly SqlQueries Sql = SqlQueries.Load(typeof(DeliveryStore).Assembly, "Sending.Sql.deliveries.sql");
    private static readonly string FreezeAudienceSql = Sql["freeze-audience"];
    private static readonly string FreezeAudienceOneListSql = Sql["freeze-audience-one-list"];
    private static readonly string FreezeAudienceMissedSql = Sql["freeze-audience-missed"];
    private static readonly string ExportSnapshotSql = Sql["export-snapshot"];
    private static readonly string AudienceIdRangeSql = Sql["audience-id-range"];
    private static readonly string RemoveUnfinishedFreezeSql = Sql["remove-unfinished-freeze"];
    private static readonly string AnalyzeAfterFreezeSql = Sql["analyze-after-freeze"];
    private static readonly string ClaimBatchSql = Sql["claim-batch"];
    private static readonly string RecordOutcomesSql = Sql["record-outcomes"];
    private static readonly string RecordSentSql = Sql["record-sent"];
    private static readonly string ConsentWithdrawnSql = Sql["consent-withdrawn"];
    private static readonly string ConsentLogEndSql = Sql["consent-log-end"];
    private static readonly string ExtendLeaseSql = Sql["extend-lease"];
    private static readonly string ReleaseSql = Sql["release"];
    private static readonly string RecoverExpiredSql = Sql["recover-expired"];
    private static readonly string CloseCancelledSql = Sql["close-cancelled"];
    private static readonly string CountsSql = Sql["counts"];
    private static readonly string EarliestRetrySql = Sql["earliest-retry"];
    private static readonly string HasOpenSql = Sql["has-open"];
    private static readonly string FailedSql = Sql["failed"];
    private static readonly string RelayAnswersSql = Sql["relay-answers"];

    /// <summary>
    /// Writes the audience of <paramref name="sendId"/> as of <paramref name="preparing"/>'s snapshot, split
    /// by subscriber id into <paramref name="parts"/> (<see cref="AudienceFreeze.Split"/>), each inserted on a
    /// connection of its own, at once; returns the rows written. The parts commit on their own: should
    /// <paramref name="preparing"/> not commit, the next attempt removes their rows first
    /// (<see cref="RemoveUnfinishedFreezeAsync"/>). With <paramref name="onlyMissed"/>, readers who got (or
    /// are getting) the issue in an earlier send are left out.
    /// </summary>
    internal async Task<int> FreezeAsync(NpgsqlTransaction preparing, long sendId, long[] listIds, int parts, bool onlyMissed,
        CancellationToken cancellationToken = default)
    {
        var connection = preparing.Connection!;
        var snapshot = await connection.ExecuteScalarAsync<string>(
            new CommandDefinition(ExportSnapshotSql, transaction: preparing, cancellationToken: cancellationToken)) ?? "";
        // SET TRANSACTION SNAPSHOT takes no parameters: the id is checked against PostgreSQL's format.
        if (!SnapshotId().IsMatch(snapshot))
            throw new InvalidOperationException($"Unexpected snapshot id '{snapshot}'.");
        var (lowest, highest) = await connection.QuerySingleAsync<(long?, long?)>(
            new CommandDefinition(AudienceIdRangeSql, new { ListIds = listIds }, preparing, cancellationToken: cancellationToken));
        if (lowest is null || highest is null)
            return 0;
        var freeze = onlyMissed ? FreezeAudienceMissedSql : listIds.Length == 1 ? FreezeAudienceOneListSql : FreezeAudienceSql;
        var rows = await Task.WhenAll(AudienceFreeze.Split(lowest.Value, highest.Value, parts)
            .Select(range => FreezePartAsync(freeze, snapshot, sendId, listIds, range, cancellationToken)));
        return rows.Sum();
    }

    private async Task<int> FreezePartAsync(
        string freeze, string snapshot, long sendId, long[] listIds, (long From, long To) range, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            $"SET TRANSACTION SNAPSHOT '{snapshot}'", transaction: transaction, cancellationToken: cancellationToken));
        var rows = await connection.ExecuteAsync(new CommandDefinition(freeze,
            new { SendId = sendId, ListIds = listIds, ListId = listIds.FirstOrDefault(), FromId = range.From, ToId = range.To },
            transaction, commandTimeout: 600, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return rows;
    }

    /// <summary>Removes the rows a freeze left without preparing its send; waits for a freeze under way.</summary>
    internal Task RemoveUnfinishedFreezeAsync(NpgsqlConnection connection, long sendId, CancellationToken cancellationToken = default) =>
        connection.ExecuteAsync(new CommandDefinition(RemoveUnfinishedFreezeSql, new { SendId = sendId },
            commandTimeout: 600, cancellationToken: cancellationToken));

    /// <summary>Fresh planner statistics once a send's rows are in.</summary>
    internal Task AnalyzeAfterFreezeAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default) =>
        connection.ExecuteAsync(new CommandDefinition(AnalyzeAfterFreezeSql, commandTimeout: 600, cancellationToken: cancellationToken));

    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(long sendId, long[] listIds, int batchSize, TimeSpan lease,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<ClaimedDelivery>(new CommandDefinition(ClaimBatchSql,
            new { SendId = sendId, ListIds = listIds, BatchSize = batchSize, Lease = lease }, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>
    /// Records a send's outcomes in one statement; returns the send's status as of that moment, or null
    /// when there was nothing to record.
    /// </summary>
    public async Task<SendStatus?> RecordAsync(long sendId, DeliveryOutcomes outcomes, CancellationToken cancellationToken = default) =>
        (await RecordAsync(sendId, outcomes, consent: null, cancellationToken)).Status;

    /// <summary>
    /// As <see cref="RecordAsync(long, DeliveryOutcomes, CancellationToken)"/>, also returning the rows the write changed
    /// (all of it committed when this returns), and reads in the same round trip the consent log's events after
    /// <paramref name="consent"/>'s SeenId and its opt-outs after its AfterId, oldest first, at most 10,000.
    /// </summary>
    public async Task<(SendStatus? Status, RecordedOutcomes Recorded, IReadOnlyList<ConsentChange> Consent)> RecordAsync(
        long sendId, DeliveryOutcomes outcomes, (long AfterId, long SeenId)? consent, CancellationToken cancellationToken = default)
    {
        if (outcomes.Count == 0)
            return (null, RecordedOutcomes.None, []);
        var record = outcomes.Count == outcomes.Sent.Count ? RecordSentSql : RecordOutcomesSql;
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        // Two statements in one command: one round trip, one implicit transaction.
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            consent is null ? record : record + "\n" + ConsentWithdrawnSql, new
            {
                SendId = sendId,
                SentIds = outcomes.Sent.Select(s => s.SubscriberId).ToArray(),
                SentAt = outcomes.Sent.Select(s => s.At).ToArray(),
                FailedIds = outcomes.Failed.Select(f => f.SubscriberId).ToArray(),
                FailedErrors = outcomes.Failed.Select(f => f.Error).ToArray(),
                DeferredIds = outcomes.Deferred.Select(d => d.SubscriberId).ToArray(),
                DeferredErrors = outcomes.Deferred.Select(d => d.Error).ToArray(),
                NextAttemptAt = outcomes.Deferred.Select(d => d.NextAttemptAt).ToArray(),
                BouncedIds = outcomes.Bounced.Select(b => b.SubscriberId).ToArray(),
                BouncedEmails = outcomes.Bounced.Select(b => b.Email).ToArray(),
                BouncedErrors = outcomes.Bounced.Select(b => b.Error).ToArray(),
                SkippedIds = outcomes.Skipped.ToArray(),
                AfterId = consent?.AfterId,
                SeenId = consent?.SeenId,
            }, cancellationToken: cancellationToken));
        var row = await results.ReadSingleOrDefaultAsync<RecordRow>();
        var changes = consent is null ? [] : (await results.ReadAsync<ConsentChange>()).ToList();
        return row is null
            ? (null, RecordedOutcomes.None, changes)
            : (StatusNames.ToSendStatus(row.Status), new RecordedOutcomes(row.Sent, row.Deferred, row.Failed, row.Bounced), changes);
    }

    /// <summary>The id of the consent log's latest event.</summary>
    public async Task<long> ConsentLogEndAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(ConsentLogEndSql, cancellationToken: cancellationToken));
    }

    public async Task ExtendLeaseAsync(long sendId, long[] subscriberIds, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(ExtendLeaseSql,
            new { SendId = sendId, SubscriberIds = subscriberIds, Lease = lease }, cancellationToken: cancellationToken));
    }

    /// <summary>Returns claimed rows that were never attempted to pending.</summary>
    public async Task ReleaseAsync(long sendId, IReadOnlyCollection<long> subscriberIds, CancellationToken cancellationToken = default)
    {
        if (subscriberIds.Count == 0)
            return;
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(ReleaseSql,
            new { SendId = sendId, SubscriberIds = subscriberIds.ToArray() }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Closes what a cancelled send still had to do: rows a failed freeze left are removed, rows waiting (or held
    /// by a batch that died) are skipped; rows in a live batch's hand are left to it.
    /// </summary>
    internal Task CloseCancelledAsync(NpgsqlTransaction transaction, long sendId, CancellationToken cancellationToken = default) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(CloseCancelledSql, new { SendId = sendId }, transaction,
            commandTimeout: 600, cancellationToken: cancellationToken));

    /// <summary>Rows whose lease ran out go back to pending (a cancelled send's are closed); returns the sends they belong to.</summary>
    public async Task<long[]> RecoverExpiredAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<long>(new CommandDefinition(RecoverExpiredSql, cancellationToken: cancellationToken)))
            .Distinct().ToArray();
    }

    public async Task<IReadOnlyDictionary<DeliveryStatus, int>> CountsAsync(long sendId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<(string Status, int Count)>(
                new CommandDefinition(CountsSql, new { SendId = sendId }, cancellationToken: cancellationToken)))
            .ToDictionary(r => StatusNames.ToDeliveryStatus(r.Status), r => r.Count);
    }

    /// <summary>The send's failed readers by address, <paramref name="limit"/> from <paramref name="offset"/>.</summary>
    public async Task<IReadOnlyList<FailedDelivery>> FailedAsync(long sendId, int offset, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<FailedDelivery>(new CommandDefinition(FailedSql,
            new { SendId = sendId, Offset = offset, Limit = limit }, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>The relay's answers to readers waiting for a retry (pending) or given up on (failed), most frequent first.</summary>
    public async Task<IReadOnlyList<RelayAnswer>> RelayAnswersAsync(long sendId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<(string Status, string Answer, int Readers)>(new CommandDefinition(RelayAnswersSql,
                new { SendId = sendId, Limit = limit }, cancellationToken: cancellationToken)))
            .Select(r => new RelayAnswer(StatusNames.ToDeliveryStatus(r.Status), r.Answer, r.Readers)).ToList();
    }

    public async Task<DateTime?> EarliestRetryAsync(long sendId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<DateTime?>(
            new CommandDefinition(EarliestRetrySql, new { SendId = sendId }, cancellationToken: cancellationToken));
    }

    public async Task<bool> HasOpenAsync(long sendId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(
            new CommandDefinition(HasOpenSql, new { SendId = sendId }, cancellationToken: cancellationToken));
    }

    private sealed record RecordRow(string Status, long Sent, long Deferred, long Failed, long Bounced);

    [GeneratedRegex("^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?$")]
    private static partial Regex SnapshotId();
}
