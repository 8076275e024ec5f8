using Dapper;
using Newsletter.Storage;
using Npgsql;

namespace Newsletter.Api;

/// <summary>The <c>api_idempotency</c> table: per key, each Idempotency-Key's request hash and, once answered, the response.</summary>
public sealed class IdempotencyStore(NpgsqlDataSource database)
{
    private static readonly SqlQueries Sql = SqlQueries.Load(typeof(IdempotencyStore).Assembly, "Api.Sql.idempotency.sql");
    private static readonly string ClaimSql = Sql["claim"];
    private static readonly string StoreResponseSql = Sql["store-response"];
    private static readonly string ReleaseSql = Sql["release"];

    /// <summary>Claims the Idempotency-Key for this request, or says what stands in its way.</summary>
    public async Task<IdempotencyClaim> ClaimAsync(long keyId, string idempotencyKey, byte[] requestHash, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<IdempotencyClaim>(new CommandDefinition(ClaimSql,
                   new { KeyId = keyId, IdempotencyKey = idempotencyKey, RequestHash = requestHash }, cancellationToken: cancellationToken))
               .ConfigureAwait(false)
               ?? new IdempotencyClaim(IdempotencyClaim.InFlight, null, null, null);
    }

    public async Task StoreResponseAsync(long keyId, string idempotencyKey, int statusCode, string? contentType, byte[] body,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(StoreResponseSql, new
        {
            KeyId = keyId, IdempotencyKey = idempotencyKey, StatusCode = statusCode, ContentType = contentType, Body = body,
        }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task ReleaseAsync(long keyId, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(ReleaseSql, new { KeyId = keyId, IdempotencyKey = idempotencyKey },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}
