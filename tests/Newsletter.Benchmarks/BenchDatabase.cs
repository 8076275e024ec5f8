using Newsletter.Storage;
using Npgsql;

namespace Newsletter.Benchmarks;

/// <summary>
/// A throwaway PostgreSQL cluster and database, made by the app's own local-cluster code. Durability is
/// off (fsync, synchronous_commit, full_page_writes) as in the tests: the figures are about our
/// statements and round trips, not this machine's disk flushes.
/// </summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private readonly LocalPostgresCluster _cluster;

    private BenchDatabase(string root, LocalPostgresCluster cluster)
    {
        Root = root;
        _cluster = cluster;
        ConnectionString = cluster.ConnectionString("bench");
    }

    /// <summary>A temporary folder for this run: the cluster (when PostgreSQL can reach it) and the app's data.</summary>
    public string Root { get; }

    public string ConnectionString { get; }

    public string AppDataDirectory => Path.Combine(Root, "app");

    public int PostmasterPid => LocalPostgresCluster.PostmasterPid(_cluster.Directory)
        ?? throw new InvalidOperationException($"No postmaster.pid in {_cluster.Directory}: the cluster is not running.");

    public static async Task<BenchDatabase> CreateAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), $"newsletter-bench-{Guid.NewGuid():N}");
        var cluster = await LocalPostgresCluster.EnsureRunningAsync(root, Console.Error.WriteLine,
            new Dictionary<string, string> { ["fsync"] = "off", ["synchronous_commit"] = "off", ["full_page_writes"] = "off" });
        await using (var connection = new NpgsqlConnection(cluster.ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE DATABASE bench", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new BenchDatabase(root, cluster);
    }

    public async Task<long> ExecuteScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public async Task<long[]> QueryLongsAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        var values = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            values.Add(reader.GetInt64(0));
        return [.. values];
    }

    public async Task<string[]> QueryTextsAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            values.Add(reader.GetString(0));
        return [.. values];
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.StopAsync();
        if (Directory.Exists(_cluster.Directory))
            Directory.Delete(_cluster.Directory, recursive: true);
        if (Directory.Exists(Root))
            Directory.Delete(Root, recursive: true);
    }
}
