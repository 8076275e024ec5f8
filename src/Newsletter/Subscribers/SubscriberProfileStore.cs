using Dapper;
using Newsletter.Storage;
using Npgsql;

namespace Newsletter.Subscribers;

/// <summary>One person's records: search by address or name, all we hold about them, and their erasure.</summary>
public sealed class SubscriberProfileStore(NpgsqlDataSource database)
{
    private static readonly SqlQueries Sql = SqlQueries.Load(typeof(SubscriberProfileStore).Assembly, "Subscribers.Sql.profiles.sql");
    private static readonly string SearchSql = Sql["search"];
    private static readonly string SubscriberByEmailSql = Sql["subscriber-by-email"];
    private static readonly string SubscriberByIdSql = Sql["subscriber-by-id"];
    private static readonly string SubscriptionsOfSql = Sql["subscriptions-of"];
    private static readonly string ConsentTrailSql = Sql["consent-trail"];
    private static readonly string ConsentNamingAddressSql = Sql["consent-naming-address"];
    private static readonly string DeliveriesOfSql = Sql["deliveries-of"];
    private static readonly string LockSubscriberSql = Sql["lock-subscriber"];
    private static readonly string EraseRecordHashSql = Sql["erase-record-hash"];
    private static readonly string EraseSuppressionSql = Sql["erase-suppression"];
    private static readonly string EraseDeliveriesSql = Sql["erase-deliveries"];
    private static readonly string EraseConsentDetailsSql = Sql["erase-consent-details"];
    private static readonly string EraseSubscriberSql = Sql["erase-subscriber"];
    private static readonly string LogErasureSql = Sql["log-erasure"];

    /// <summary>Up to <paramref name="limit"/> matches of the prefix <paramref name="text"/> after (<paramref name="afterKey"/>, <paramref name="afterId"/>).</summary>
    internal async Task<IReadOnlyList<SubscriberSearchRow>> SearchAsync(string text, string afterKey, long afterId, int limit,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<SubscriberSearchRow>(new CommandDefinition(SearchSql,
            new { Text = text, AfterKey = afterKey, AfterId = afterId, Limit = limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }

    internal async Task<SubscriberRecord?> FindAsync(string email, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<SubscriberRecord>(new CommandDefinition(SubscriberByEmailSql,
            new { Email = email }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    internal async Task<SubscriberRecord?> FindAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<SubscriberRecord>(new CommandDefinition(SubscriberByIdSql,
            new { Id = id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ProfileSubscription>> SubscriptionsOfAsync(long subscriberId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<ProfileSubscription>(new CommandDefinition(SubscriptionsOfSql,
            new { SubscriberId = subscriberId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }

    /// <summary>The subscriber's consent events, oldest first.</summary>
    public async Task<IReadOnlyList<ConsentRecord>> ConsentTrailAsync(long subscriberId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<ConsentRecord>(new CommandDefinition(ConsentTrailSql,
            new { SubscriberId = subscriberId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }

    /// <summary>Consent events of no subscriber whose detail names the address; scans the whole log.</summary>
    public async Task<IReadOnlyList<ConsentRecord>> ConsentNamingAddressAsync(string email, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<ConsentRecord>(new CommandDefinition(ConsentNamingAddressSql,
            new { Email = email }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }

    /// <summary>The subscriber's row of every send, newest first.</summary>
    public async Task<IReadOnlyList<DeliveryRecord>> DeliveriesOfAsync(long subscriberId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<DeliveryRecord>(new CommandDefinition(DeliveriesOfSql,
            new { SubscriberId = subscriberId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }

    /// <summary>
    /// Erases the address in one transaction (see <see cref="Erasure"/>) and logs a <c>suppressed_erased</c>
    /// consent event. Null, with nothing changed, when nothing is held about the address and it was never erased.
    /// </summary>
    public async Task<Erasure?> EraseAsync(string email, ConsentContext context, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var address = new { Email = email };
        var subscriberId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(LockSubscriberSql, address, transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        var hashAdded = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(EraseRecordHashSql, address, transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false) is not null;
        var suppression = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(EraseSuppressionSql, address, transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        var ids = new { Email = email, SubscriberId = subscriberId };
        var deliveries = await connection.ExecuteScalarAsync<long>(new CommandDefinition(EraseDeliveriesSql, ids, transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        var scrubbed = await connection.ExecuteScalarAsync<long>(new CommandDefinition(EraseConsentDetailsSql, ids, transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        var (lists, attributes) = subscriberId is null
            ? (0L, 0L)
            : await connection.QuerySingleAsync<(long, long)>(new CommandDefinition(EraseSubscriberSql, ids, transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);

        var erasure = new Erasure(email, subscriberId is not null, lists, attributes, suppression, scrubbed, deliveries, AlreadyErased: !hashAdded);
        if (subscriberId is null && suppression is null && scrubbed == 0)
        {
            // Nothing was held: a typo must not suppress an address, and a repeated erasure logs nothing new.
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return hashAdded ? null : erasure;
        }
        await connection.ExecuteAsync(new CommandDefinition(LogErasureSql, new
        {
            SubscriberId = subscriberId,
            context.Source,
            context.Ip,
            context.UserAgent,
        }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return erasure;
    }
}
