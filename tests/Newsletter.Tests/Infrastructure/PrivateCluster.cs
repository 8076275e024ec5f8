using System.Diagnostics;
using Newsletter.Storage;
using Npgsql;

namespace Newsletter.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of one test class's own, for tests that stop or kill the server: never the shared
/// <see cref="TestPostgres"/> cluster, whose outage would fail every other test. Its folder carries the same
/// prefix and owner file, so a run stopped before <see cref="DisposeAsync"/> is swept by the next one.
/// </summary>
public sealed class PrivateCluster : IAsyncDisposable
{
    private static readonly IReadOnlyDictionary<string, string> Settings =
        new Dictionary<string, string> { ["fsync"] = "off", ["synchronous_commit"] = "off", ["full_page_writes"] = "off" };

    private readonly string _root;
    private LocalPostgresCluster _cluster;

    private PrivateCluster(string root, LocalPostgresCluster cluster)
    {
        _root = root;
        _cluster = cluster;
    }

    public static async Task<PrivateCluster> StartAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), $"{TestPostgres.FolderPrefix}{Guid.NewGuid():N}");
        AbandonedClusters.Claim(root);
        return new PrivateCluster(root, await LocalPostgresCluster.EnsureRunningAsync(root, _ => { }, Settings));
    }

    /// <summary>A fresh database on this cluster, migrated as the app migrates it.</summary>
    public async Task<string> CreateMigratedDatabaseAsync(string name)
    {
        await using (var connection = new NpgsqlConnection(_cluster.ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        var connectionString = _cluster.ConnectionString(name);
        await DatabaseMigrator.MigrateAsync(connectionString);
        return connectionString;
    }

    /// <summary><c>pg_ctl stop -m fast</c>: sessions are ended, the server shuts down cleanly.</summary>
    public Task StopAsync() => _cluster.StopAsync();

    /// <summary>SIGKILL to the postmaster, as the OOM killer does; its backends exit once they notice.</summary>
    public async Task KillPostmasterAsync()
    {
        var pid = LocalPostgresCluster.PostmasterPid(_cluster.Directory)
            ?? throw new InvalidOperationException($"No postmaster.pid in {_cluster.Directory}.");
        using var postmaster = Process.GetProcessById(pid);
        postmaster.Kill();
        await postmaster.WaitForExitAsync();
    }

    /// <summary>
    /// Starts the server again, as a supervisor does: retried while the killed postmaster's backends still
    /// hold its shared memory (the new one refuses to start until they are gone).
    /// </summary>
    public async Task StartAgainAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                _cluster = await LocalPostgresCluster.EnsureRunningAsync(_root, _ => { }, Settings);
                return;
            }
            catch (StartupException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await AbandonedClusters.StopServerAsync(_cluster.Directory);
        // The cluster lives under /var/tmp instead when the postgres user cannot reach the temp folder.
        if (!_cluster.Directory.StartsWith(_root, StringComparison.Ordinal))
            Directory.Delete(Path.GetDirectoryName(_cluster.Directory)!, recursive: true);
        Directory.Delete(_root, recursive: true);
    }
}
