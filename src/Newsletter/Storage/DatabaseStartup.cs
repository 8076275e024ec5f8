namespace Newsletter.Storage;

/// <summary>Turns configuration into a ready database: the configured one, or the private local cluster.</summary>
public static class DatabaseStartup
{
    public const string DatabaseName = "newsletter";

    /// <summary>Returns a connection string to a migrated database.</summary>
    /// <exception cref="StartupException">The database cannot be provided or reached.</exception>
    public static async Task<string> PrepareAsync(
        string? configuredConnectionString, string dataDirectory, Action<string> report,
        CancellationToken cancellationToken = default)
    {
        var connectionString = configuredConnectionString;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var cluster = await LocalPostgresCluster.EnsureRunningAsync(dataDirectory, report, cancellationToken: cancellationToken);
            connectionString = cluster.ConnectionString(DatabaseName);
        }

        await DatabaseMigrator.MigrateAsync(connectionString, cancellationToken);
        return connectionString;
    }
}
