using DbUp;
using DbUp.Engine.Output;
using Npgsql;

namespace Newsletter.Storage;

/// <summary>Creates the database if needed and applies the numbered scripts in Storage/Migrations, once each.</summary>
public static class DatabaseMigrator
{
    // Any fixed number: it only has to be the same in every process that migrates this database.
    private const long MigrationLockKey = 0x4E_65_77_73_6C_65_74;
    private static readonly SqlQueries Sql = SqlQueries.Load(typeof(DatabaseMigrator).Assembly, "Storage.Sql.migrations.sql");

    /// <exception cref="StartupException">The database is unreachable or a script fails.</exception>
    public static async Task MigrateAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        try
        {
            EnsureDatabase.For.PostgresqlDatabase(connectionString, new NoOpUpgradeLog());

            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using (var take = LockCommand("take-migration-lock", connection))
                await take.ExecuteNonQueryAsync(cancellationToken);

            try
            {
                Upgrade(connectionString);
            }
            finally
            {
                await using var release = LockCommand("release-migration-lock", connection);
                await release.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or ArgumentException)
        {
            throw new StartupException(
                $"Cannot use the PostgreSQL database at {Describe(connectionString)}: {e.Message}. Check " +
                "ConnectionStrings:Newsletter (environment variable ConnectionStrings__Newsletter), or leave it " +
                "empty to let Newsletter run its own local cluster under the data folder.", e);
        }
    }

    private static NpgsqlCommand LockCommand(string name, NpgsqlConnection connection) =>
        new(Sql[name], connection) { Parameters = { new NpgsqlParameter("Key", MigrationLockKey) } };

    private static void Upgrade(string connectionString)
    {
        var result = DeployChanges.To
            .PostgresqlDatabase(connectionString, "public")
            .WithScriptsEmbeddedInAssembly(typeof(DatabaseMigrator).Assembly,
                name => name.Contains(".Storage.Migrations.", StringComparison.Ordinal))
            .WithTransactionPerScript()
            .LogToNowhere()
            .Build()
            .PerformUpgrade();
        if (!result.Successful)
            throw new StartupException(
                $"The database migration {result.ErrorScript?.Name} failed: {result.Error.Message}", result.Error);
    }

    /// <summary>Host, port and database of a connection string, never its password.</summary>
    public static string Describe(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return $"{builder.Host}:{builder.Port}/{builder.Database}";
        }
        catch (ArgumentException)
        {
            return "(unparseable connection string)";
        }
    }
}
