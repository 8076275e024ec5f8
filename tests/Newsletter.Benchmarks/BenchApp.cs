using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Newsletter.Server;

namespace Newsletter.Benchmarks;

/// <summary>The real application, configured as the tests configure it, on a throwaway database.</summary>
public static class BenchApp
{
    public static async Task<WebApplication> StartAsync(
        BenchDatabase database, bool runJobs, IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var builder = AppHost.CreateBuilder(["--urls=http://127.0.0.1:0"], runJobs);
        builder.Configuration.AddInMemoryCollection(Settings(database).Concat(settings));
        var app = builder.Build();
        await AppHost.PrepareServerAsync(app);
        await app.StartAsync();
        return app;
    }

    /// <summary>
    /// The app's services on the migrated database, its host not started and without a job server: for a
    /// harness whose sending happens in <c>serve</c> processes of its own (<see cref="ServeProcess"/>).
    /// </summary>
    public static async Task<WebApplication> PrepareAsync(BenchDatabase database)
    {
        var builder = AppHost.CreateBuilder([], runJobs: false);
        builder.Configuration.AddInMemoryCollection(Settings(database));
        var app = builder.Build();
        await AppHost.PrepareAsync(app);
        return app;
    }

    /// <summary>What every app of a run is configured with, in configuration keys.</summary>
    public static Dictionary<string, string?> Settings(BenchDatabase database) => new()
    {
        ["ConnectionStrings:Newsletter"] = database.ConnectionString,
        ["Newsletter:DataDirectory"] = database.AppDataDirectory,
        ["Newsletter:PublicUrl"] = "https://news.example.com",
        ["Newsletter:Sender:Address"] = "letters@news.example.com",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    /// <summary>A single opt-in list; returns its id.</summary>
    public static Task<long> CreateListAsync(BenchDatabase database, string slug, string name) =>
        database.ExecuteScalarAsync("INSERT INTO lists (slug, name, double_opt_in) VALUES (@slug, @name, false) RETURNING id",
            ("slug", slug), ("name", name));

    /// <summary>
    /// One list, slug <c>bench</c> unless told, with <paramref name="recipients"/> confirmed subscribers in one
    /// statement: <c>reader1@example.com</c> and on, or another prefix than <c>reader</c>.
    /// </summary>
    public static async Task<long> SeedAsync(
        BenchDatabase database, int recipients, string slug = "bench", string name = "Benchmark", string addressPrefix = "reader")
    {
        var list = await CreateListAsync(database, slug, name);
        await database.ExecuteScalarAsync("""
            WITH s AS (
                INSERT INTO subscribers (email, name)
                SELECT @prefix || i || '@example.com', 'Reader ' || i FROM generate_series(1, @n) i
                RETURNING id)
            INSERT INTO subscriptions (list_id, subscriber_id, status, confirmed_at, source)
            SELECT @list, id, 'confirmed', now(), 'import' FROM s
            """, ("n", recipients), ("list", list), ("prefix", addressPrefix));
        // The list as it stands a few minutes after its import, long before a send of it: vacuumed, as
        // autovacuum leaves it, and past a checkpoint. Otherwise the seeding's checkpoint (~540 MB of WAL) is
        // still spreading its writes while the freeze runs, its WAL segments are not yet recycled, and the
        // freeze writes into new ones. 1,000,000 freeze, alternating runs: 5.26, 5.82, 6.18 s before, 5.22,
        // 5.17, 3.78 s after.
        await database.ExecuteScalarAsync("VACUUM (ANALYZE)");
        await database.ExecuteScalarAsync("CHECKPOINT");
        return list;
    }

    /// <summary>A second list, slug <c>warmup</c>, of the first <paramref name="size"/> subscribers of <c>bench</c>.</summary>
    public static async Task SeedWarmupListAsync(BenchDatabase database, int size)
    {
        var list = await CreateListAsync(database, "warmup", "Warm-up");
        await database.ExecuteScalarAsync("""
            INSERT INTO subscriptions (list_id, subscriber_id, status, confirmed_at, source)
            SELECT @list, id, 'confirmed', now(), 'import' FROM subscribers ORDER BY id LIMIT @n
            """, ("n", size), ("list", list));
        await database.ExecuteScalarAsync("ANALYZE subscriptions");
    }
}
