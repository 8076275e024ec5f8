using Dapper;
using Newsletter.Storage;
using Npgsql;

namespace Newsletter.Api;

/// <summary>The <c>api_keys</c> table: hashes of keys, never the keys.</summary>
public sealed class ApiKeyStore(NpgsqlDataSource database)
{
    private static readonly SqlQueries Sql = SqlQueries.Load(typeof(ApiKeyStore).Assembly, "Api.Sql.api-keys.sql");
    private static readonly string CreateKeySql = Sql["create-key"];
    private static readonly string ListKeysSql = Sql["list-keys"];
    private static readonly string RevokeKeySql = Sql["revoke-key"];
    private static readonly string KeyByPrefixSql = Sql["key-by-prefix"];
    private static readonly string NoteUseSql = Sql["note-use"];

    /// <summary>Stores a key's hash; false when the name is taken.</summary>
    public async Task<bool> CreateAsync(string name, string prefix, byte[] keyHash, bool readOnly, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(CreateKeySql,
            new { Name = name, Prefix = prefix, KeyHash = keyHash, ReadOnly = readOnly }, cancellationToken: cancellationToken)).ConfigureAwait(false) is not null;
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<ApiKeyRecord>(new CommandDefinition(ListKeysSql, cancellationToken: cancellationToken))
            .ConfigureAwait(false)).AsList();
    }

    /// <summary>Revokes the live key of that name; false when there is none.</summary>
    public async Task<bool> RevokeAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(RevokeKeySql, new { Name = name },
            cancellationToken: cancellationToken)).ConfigureAwait(false) is not null;
    }

    /// <summary>The live key with the prefix, with its hash to compare; null when there is none.</summary>
    public async Task<StoredApiKey?> FindAsync(string prefix, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<StoredApiKey>(new CommandDefinition(KeyByPrefixSql, new { Prefix = prefix },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task NoteUseAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(NoteUseSql, new { Id = id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}
