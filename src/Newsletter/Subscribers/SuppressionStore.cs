using Dapper;
using Newsletter.Storage;
using Npgsql;

namespace Newsletter.Subscribers;

/// <summary>The suppression list read a page at a time, and an address taken off it (adding is <see cref="SubscriberStore.SuppressAsync(string, string, string?, ConsentContext, CancellationToken)"/>).</summary>
public sealed class SuppressionStore(NpgsqlDataSource database)
{
    private static readonly SqlQueries Sql = SqlQueries.Load(typeof(SuppressionStore).Assembly, "Subscribers.Sql.suppressions.sql");
    private static readonly string PageSql = Sql["suppressions-page"];
    private static readonly string RemoveSql = Sql["remove-suppression"];

    /// <summary>Up to <paramref name="limit"/> suppressions whose address sorts after <paramref name="after"/> ("" for the first page).</summary>
    public async Task<IReadOnlyList<SuppressionRecord>> PageAsync(string after, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<SuppressionRecord>(new CommandDefinition(PageSql, new { After = after, Limit = limit },
            cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
    }

    /// <summary>
    /// Takes the address off the suppression list, logged as an <c>unsuppressed</c> consent event; false when it was not on it.
    /// It is not subscribed again: that takes a new sign-up. An erased address stays erased.
    /// </summary>
    public async Task<bool> RemoveAsync(string email, ConsentContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(RemoveSql, new
        {
            Email = email,
            context.Source,
            context.Ip,
            context.UserAgent,
        }, cancellationToken: cancellationToken)).ConfigureAwait(false) > 0;
    }
}
