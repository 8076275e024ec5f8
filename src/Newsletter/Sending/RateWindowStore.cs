using Dapper;
using Newsletter.Storage;
using Npgsql;

namespace Newsletter.Sending;

/// <summary>What one claim on a shared rate window got: tokens to spend before the window ends, in seconds from now.</summary>
public sealed record RateGrant(int Granted, int LeftInWindow, double SecondsLeft);

/// <summary>The SMTP rate limits' windows, shared by every node through one row each.</summary>
public sealed class RateWindowStore(NpgsqlDataSource database)
{
    private static readonly SqlQueries Sql = SqlQueries.Load(typeof(RateWindowStore).Assembly, "Sending.Sql.rate_windows.sql");
    private static readonly string TakeSql = Sql["take-from-window"];

    /// <summary>Takes up to <paramref name="wanted"/> from the limit's current window, opening a new one when it ran out.</summary>
    /// <param name="aligned">Windows start on multiples of <paramref name="length"/> of the database clock; otherwise at the first claim.</param>
    public async Task<RateGrant> TakeAsync(string name, int wanted, int limit, TimeSpan length, bool aligned,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<RateGrant>(new CommandDefinition(TakeSql,
            new { Name = name, Wanted = wanted, Limit = limit, Length = length, Aligned = aligned }, cancellationToken: cancellationToken));
    }
}
