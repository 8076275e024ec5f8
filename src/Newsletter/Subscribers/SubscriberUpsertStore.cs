using Dapper;
using Newsletter.Storage;
using Npgsql;

namespace Newsletter.Subscribers;

/// <summary>Adds or updates a batch of subscribers and their subscriptions, set-based, in one transaction (<c>upserts.sql</c>).</summary>
public sealed class SubscriberUpsertStore(NpgsqlDataSource database)
{
    private static readonly SqlQueries Sql = SqlQueries.Load(typeof(SubscriberUpsertStore).Assembly, "Subscribers.Sql.upserts.sql");
    private static readonly string LowerAddressesSql = Sql["lower-addresses"];
    private static readonly string UpsertSubscribersSql = Sql["upsert-subscribers"];
    private static readonly string SubscribeSql = Sql["subscribe"];

    /// <param name="listsOf">For each subscriber, the ids of the lists to subscribe them to.</param>
    /// <returns>
    /// The subscribers stored (suppressed and erased addresses are not), the subscriptions that wait for a confirmation
    /// mail, and each given address as the database lowers it, the key of <see cref="UpsertedSubscriber.EmailLower"/>.
    /// </returns>
    public async Task<(IReadOnlyList<UpsertedSubscriber> Subscribers, IReadOnlyList<(long SubscriberId, long ListId)> ToConfirm,
        IReadOnlyList<string> Lowered)> UpsertAsync(
        IReadOnlyList<SubscriberUpsert> subscribers, IReadOnlyList<long[]> listsOf, ConsentContext context, string detailJson,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscribers);
        ArgumentNullException.ThrowIfNull(listsOf);
        ArgumentNullException.ThrowIfNull(context);
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var lowered = (await connection.QueryAsync<string>(new CommandDefinition(LowerAddressesSql,
            new { Emails = subscribers.Select(s => s.Email).ToArray() }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
        var stored = (await connection.QueryAsync<UpsertedSubscriber>(new CommandDefinition(UpsertSubscribersSql, new
        {
            Emails = subscribers.Select(s => s.Email).ToArray(),
            Names = subscribers.Select(s => s.Name).ToArray(),
            Attributes = subscribers.Select(s => s.AttributesJson).ToArray(),
        }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();

        var ids = stored.ToDictionary(s => s.EmailLower, s => s.SubscriberId, StringComparer.Ordinal);
        var subscriberIds = new List<long>();
        var listIds = new List<long>();
        var confirmed = new List<bool>();
        // The last of repeated addresses wins, as in the statement; an address it left out (suppressed) has no id.
        var last = new Dictionary<long, int>();
        for (var i = 0; i < subscribers.Count; i++)
            if (ids.TryGetValue(lowered[i], out var id))
                last[id] = i;
        foreach (var (id, i) in last)
            foreach (var list in listsOf[i])
            {
                subscriberIds.Add(id);
                listIds.Add(list);
                confirmed.Add(subscribers[i].Confirmed);
            }
        var toConfirm = subscriberIds.Count == 0
            ? []
            : (await connection.QueryAsync<(long, long)>(new CommandDefinition(SubscribeSql, new
            {
                SubscriberIds = subscriberIds.ToArray(),
                ListIds = listIds.ToArray(),
                Confirmed = confirmed.ToArray(),
                context.Source,
                Detail = detailJson,
            }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (stored, toConfirm, lowered);
    }
}
