using System.Text.RegularExpressions;
using Newsletter.Storage;
using Newsletter.Tests.Infrastructure;
using Npgsql;

namespace Newsletter.Tests.Security;

/// <summary>
/// The zero-config cluster of a real <c>serve</c>: a local user without the password (any account on the
/// machine) cannot connect; the password sits in the data folder, readable by its owner only.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class LocalClusterPasswordTests
{
    [Fact]
    public async Task ZeroConfigClusterRefusesConnectionsWithoutThePasswordKeptInA0600File()
    {
        await using var server = await AttackedServer.StartAsync(new Dictionary<string, string>());
        var directory = ClusterDirectory().Match(server.Process.Output).Groups["dir"].Value;
        var port = int.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "newsletter.port")));
        var passwordFile = Path.Combine(server.Process.DataDirectory, LocalPostgresCluster.PasswordFileName);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(passwordFile));
        await AssertRefusedAsync(port, password: null);
        await AssertRefusedAsync(port, password: "guess");
        await using var owner = new NpgsqlConnection(Connection(port, (await File.ReadAllTextAsync(passwordFile)).Trim()));
        await owner.OpenAsync();
    }

    [Fact]
    public async Task ClusterMadeWithTrustBeforeIsSwitchedToPasswordsAtItsNextStart()
    {
        var root = Path.Combine(Path.GetTempPath(), $"{TestPostgres.FolderPrefix}{Guid.NewGuid():N}");
        AbandonedClusters.Claim(root);
        var cluster = await LocalPostgresCluster.EnsureRunningAsync(root, _ => { });
        try
        {
            // What an earlier version left: pg_hba.conf trusting everyone and no password file.
            await cluster.StopAsync();
            await File.WriteAllTextAsync(Path.Combine(cluster.Directory, "pg_hba.conf"),
                "local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n");
            File.Delete(Path.Combine(root, LocalPostgresCluster.PasswordFileName));

            var reports = new List<string>();
            cluster = await LocalPostgresCluster.EnsureRunningAsync(root, reports.Add);

            Assert.Contains(reports, r => r.Contains("now requires the password"));
            await AssertRefusedAsync(cluster.Port, password: null);
            await using var app = new NpgsqlConnection(cluster.ConnectionString("postgres"));
            await app.OpenAsync();
        }
        finally
        {
            await AbandonedClusters.StopServerAsync(cluster.Directory);
            if (!cluster.Directory.StartsWith(root, StringComparison.Ordinal))
                Directory.Delete(Path.GetDirectoryName(cluster.Directory)!, recursive: true);
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task AssertRefusedAsync(int port, string? password)
    {
        await using var connection = new NpgsqlConnection(Connection(port, password));
        var refused = await Assert.ThrowsAnyAsync<NpgsqlException>(() => connection.OpenAsync());
        // Npgsql refuses itself when the server asks for a password it was not given; otherwise the server says 28P01.
        Assert.True(refused is PostgresException { SqlState: "28P01" } || refused.Message.Contains("password"), refused.Message);
    }

    private static string Connection(int port, string? password) =>
        $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false;Timeout=10" +
        (password is null ? "" : $";Password={password}");

    [GeneratedRegex(@"PostgreSQL cluster in (?<dir>/\S+)")]
    private static partial Regex ClusterDirectory();
}
