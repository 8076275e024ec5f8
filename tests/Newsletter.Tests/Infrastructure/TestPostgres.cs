using Newsletter.Storage;
using Npgsql;

namespace Newsletter.Tests.Infrastructure;

/// <summary>
/// One throwaway PostgreSQL cluster per test run, made by the same code the app uses, and a fresh
/// database per test class.
/// </summary>
public static class TestPostgres
{
    private static readonly Lazy<Task<LocalPostgresCluster>> Cluster = new(StartAsync);
    private static string? _root;

    public static async Task<string> CreateDatabaseAsync(string prefix)
    {
        var cluster = await Cluster.Value;
        // Test classes run one after another, but the pools of finished ones (Hangfire's among them) keep
        // their idle connections open for minutes: close them before another class opens its own.
        NpgsqlConnection.ClearAllPools();
        var name = $"{prefix.ToLowerInvariant()}_{Guid.NewGuid():N}"[..40];
        await using (var connection = new NpgsqlConnection(cluster.ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        return cluster.ConnectionString(name);
    }

    /// <summary>The connection string of a fresh, migrated database.</summary>
    public static async Task<string> CreateMigratedDatabaseAsync(string prefix)
    {
        var connectionString = await CreateDatabaseAsync(prefix);
        await DatabaseMigrator.MigrateAsync(connectionString);
        return connectionString;
    }

    public const string FolderPrefix = "newsletter-tests-";

    private static async Task<LocalPostgresCluster> StartAsync()
    {
        await AbandonedClusters.RemoveAsync(Path.GetTempPath(), FolderPrefix);
        _root = Path.Combine(Path.GetTempPath(), $"{FolderPrefix}{Guid.NewGuid():N}");
        AbandonedClusters.Claim(_root);
        // Each test class (some each test) has a database and pools of its own, and the process tests run
        // several servers with pools of theirs. With the pools of finished classes closed (CreateDatabaseAsync)
        // a run peaks at 95 connections, too close to the default of 100.
        var cluster = await LocalPostgresCluster.EnsureRunningAsync(_root, _ => { },
            new Dictionary<string, string>
            {
                ["fsync"] = "off", ["synchronous_commit"] = "off", ["full_page_writes"] = "off", ["max_connections"] = "300",
            });
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            // The runner may stop this process before a shutdown completes; the next run removes what is left.
            cluster.StopAsync(immediate: true).GetAwaiter().GetResult();
            Directory.Delete(_root, recursive: true);
        };
        return cluster;
    }
}
