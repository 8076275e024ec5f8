using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Newsletter.Storage;
using Npgsql;

namespace Newsletter.Operations;

/// <summary>
/// The DataProtection key ring in PostgreSQL, so that a sign-in cookie or antiforgery token made by one node is
/// read by every other. Synchronous because <see cref="IXmlRepository"/> is: the key manager calls it at first
/// use, when it makes a key (every 90 days) and when it refreshes (about once a day), never per request.
/// </summary>
public sealed class DataProtectionKeyStore(NpgsqlDataSource database) : IXmlRepository
{
    private static readonly SqlQueries Sql = SqlQueries.Load(typeof(DataProtectionKeyStore).Assembly, "Operations.Sql.keys.sql");
    private static readonly string AllKeysSql = Sql["all-keys"];
    private static readonly string AddKeySql = Sql["add-key"];
    private static readonly string TakeLockSql = Sql["take-key-ring-lock"];
    private static readonly string ReleaseLockSql = Sql["release-key-ring-lock"];
    private const long KeyRingLockKey = 0x4E_65_77_73_4B_65_79;

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = database.OpenConnection();
        return connection.Query<string>(AllKeysSql).Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = database.OpenConnection();
        connection.Execute(AddKeySql, new { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
    }

    /// <summary>Runs <paramref name="load"/> while no other node runs its own: one node at a time loads, or makes, the ring.</summary>
    public async Task WhileLockedAsync(Action load, CancellationToken cancellationToken = default)
    {
        // A connection of its own: the session lock is released by hand, as pooled connections are not reset.
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(TakeLockSql, new { Key = KeyRingLockKey }, cancellationToken: cancellationToken));
        try
        {
            load();
        }
        finally
        {
            await connection.ExecuteAsync(new CommandDefinition(ReleaseLockSql, new { Key = KeyRingLockKey }, cancellationToken: CancellationToken.None));
        }
    }
}
