using Dapper;
using Newsletter.Storage;
using Npgsql;

namespace Newsletter.Subscribers;

/// <summary>Adds or updates a batch of subscribers and their subscriptions in one set-based statement (<c>upserts.sql</c>).</summary>
public sealed class SubscriberUpsertStore(NpgsqlDataSource database)
{
    private static readonly SqlQueries Sql = SqlQueries.Load(typeof(SubscriberUpsertStore).Assembly, "Subscribers.Sql.upserts.sql");
    private static readonly string UpsertSql = Sql["upsert"];

    /// <param name="listsOf">For each subscriber, the ids of the lists to subscribe them to.</param>
    public async Task<IReadOnlyList<UpsertedRow>> UpsertAsync(IReadOnlyList<SubscriberUpsert> subscribers, IReadOnlyList<long[]> listsOf,
        ConsentContext context, string detailJson, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscribers);
        ArgumentNullException.ThrowIfNull(listsOf);
        ArgumentNullException.ThrowIfNull(context);
        var pairItems = new List<long>();
        var pairLists = new List<long>();
        for (var i = 0; i < listsOf.Count; i++)
            foreach (var list in listsOf[i])
            {
                pairItems.Add(i + 1);
                pairLists.Add(list);
            }
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<UpsertedRow>(new CommandDefinition(UpsertSql, new
        {
            Emails = subscribers.Select(s => s.Email).ToArray(),
            Names = subscribers.Select(s => s.Name).ToArray(),
            Attributes = subscribers.Select(s => s.AttributesJson).ToArray(),
            Confirmed = subscribers.Select(s => s.Confirmed).ToArray(),
            PairItems = pairItems.ToArray(),
            PairLists = pairLists.ToArray(),
            context.Source,
            Detail = detailJson,
        }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }
}
