using Dapper;
using Newsletter.Storage;
using Npgsql;

namespace Newsletter.Sending;

/// <summary>The per-recipient ledger of a send. Every status change is one statement for many rows.</summary>
public sealed class DeliveryStore(NpgsqlDataSource database)
{
    private static readonly SqlQueries Sql = SqlQueries.Load(typeof(DeliveryStore).Assembly, "Sending.Sql.deliveries.sql");

    internal static string FreezeAudienceSql(long[] listIds) =>
        listIds.Length == 1 ? Sql["freeze-audience-one-list"] : Sql["freeze-audience"];

    internal static string AudienceIdRangeSql => Sql["audience-id-range"];

    internal static string RemoveUnfinishedFreezeSql => Sql["remove-unfinished-freeze"];

    internal static string AnalyzeAfterFreezeSql => Sql["analyze-after-freeze"];

    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(long sendId, long[] listIds, int batchSize, TimeSpan lease)
    {
        await using var connection = await database.OpenConnectionAsync();
        return (await connection.QueryAsync<ClaimedDelivery>(Sql["claim-batch"],
            new { SendId = sendId, ListIds = listIds, BatchSize = batchSize, Lease = lease })).ToList();
    }

    /// <summary>
    /// Records one flush of outcomes in one statement; returns the send's status as of that moment, or null
    /// when there was nothing to record.
    /// </summary>
    public async Task<string?> RecordAsync(long sendId, DeliveryOutcomes outcomes)
    {
        if (outcomes.Count == 0)
            return null;
        await using var connection = await database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string>(Sql["record-outcomes"], new
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
        });
    }

    public async Task ExtendLeaseAsync(long sendId, long[] subscriberIds, TimeSpan lease)
    {
        await using var connection = await database.OpenConnectionAsync();
        await connection.ExecuteAsync(Sql["extend-lease"], new { SendId = sendId, SubscriberIds = subscriberIds, Lease = lease });
    }

    /// <summary>Returns claimed rows that were never attempted to pending.</summary>
    public async Task ReleaseAsync(long sendId, IReadOnlyCollection<long> subscriberIds)
    {
        if (subscriberIds.Count == 0)
            return;
        await using var connection = await database.OpenConnectionAsync();
        await connection.ExecuteAsync(Sql["release"], new { SendId = sendId, SubscriberIds = subscriberIds.ToArray() });
    }

    /// <summary>Rows whose lease ran out go back to pending; returns the sends they belong to.</summary>
    public async Task<long[]> RecoverExpiredAsync()
    {
        await using var connection = await database.OpenConnectionAsync();
        return (await connection.QueryAsync<long>(Sql["recover-expired"])).Distinct().ToArray();
    }

    public async Task<IReadOnlyDictionary<string, int>> CountsAsync(long sendId)
    {
        await using var connection = await database.OpenConnectionAsync();
        return (await connection.QueryAsync<(string Status, int Count)>(Sql["counts"], new { SendId = sendId }))
            .ToDictionary(r => r.Status, r => r.Count);
    }

    public async Task<DateTime?> EarliestRetryAsync(long sendId)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<DateTime?>(Sql["earliest-retry"], new { SendId = sendId });
    }

    public async Task<bool> HasOpenAsync(long sendId)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>(Sql["has-open"], new { SendId = sendId });
    }
}
