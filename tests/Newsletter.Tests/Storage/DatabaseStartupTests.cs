using Newsletter.Storage;
using Newsletter.Tests.Infrastructure;
using Npgsql;

namespace Newsletter.Tests.Storage;

public sealed class DatabaseStartupTests
{
    [Fact]
    public async Task MigrationsRunTwiceWithoutChangingAnything()
    {
        var connectionString = await TestPostgres.CreateMigratedDatabaseAsync("migrate_twice");

        await DatabaseMigrator.MigrateAsync(connectionString);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*), count(DISTINCT scriptname) FROM schemaversions", connection);
        await using var reader = await count.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.True(reader.GetInt64(0) > 0);
        Assert.Equal(reader.GetInt64(0), reader.GetInt64(1));
    }

    [Fact]
    public async Task ConcurrentStartsMigrateOnce()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("migrate_concurrent");

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => DatabaseMigrator.MigrateAsync(connectionString)));

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) - count(DISTINCT scriptname) FROM schemaversions", connection);
        Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task SecondStartReusesTheRunningCluster()
    {
        var root = Path.Combine(Path.GetTempPath(), $"newsletter-reuse-{Guid.NewGuid():N}");
        var messages = new List<string>();
        var first = await LocalPostgresCluster.EnsureRunningAsync(root, messages.Add);
        try
        {
            var second = await LocalPostgresCluster.EnsureRunningAsync(root, messages.Add);

            Assert.Equal(first.Port, second.Port);
            Assert.Contains(messages, m => m.StartsWith("Created"));
            Assert.Contains(messages, m => m.StartsWith("Using the running"));
            await using var connection = new NpgsqlConnection(second.ConnectionString("postgres"));
            await connection.OpenAsync();
        }
        finally
        {
            await first.StopAsync();
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void MissingPostgresBinariesGiveOneParagraphThatSaysWhatToDo()
    {
        var error = Assert.Throws<StartupException>(() => PostgresBinaries.Locate("/nonexistent/bin", "/nonexistent/postgresql"));

        Assert.Contains("apt-get install postgresql", error.Message);
        Assert.Contains("ConnectionStrings__Newsletter", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void PostgresBinariesAreFoundInVersionedFolderWhenNotOnPath()
    {
        var root = Directory.CreateTempSubdirectory("pgroot").FullName;
        try
        {
            foreach (var version in new[] { "13", "15" })
            {
                var bin = Directory.CreateDirectory(Path.Combine(root, version, "bin")).FullName;
                foreach (var program in new[] { "initdb", "pg_ctl", "postgres" })
                    File.WriteAllText(Path.Combine(bin, program), "");
            }

            Assert.Equal(Path.Combine(root, "15", "bin"), PostgresBinaries.Locate("/nonexistent/bin", root));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task UnreachableDatabaseGivesClearErrorWithoutPassword()
    {
        var error = await Assert.ThrowsAsync<StartupException>(() =>
            DatabaseMigrator.MigrateAsync("Host=127.0.0.1;Port=1;Username=u;Password=hunter2;Database=newsletter;Timeout=3"));

        Assert.Contains("127.0.0.1:1/newsletter", error.Message);
        Assert.Contains("ConnectionStrings__Newsletter", error.Message);
        Assert.DoesNotContain("hunter2", error.Message);
    }
}
