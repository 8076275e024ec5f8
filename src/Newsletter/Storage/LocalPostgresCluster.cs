using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Newsletter.Storage;

/// <summary>
/// A private PostgreSQL cluster under the data folder, made from the machine's own binaries, so that
/// "run one command" works with the real database and no set-up. Reused when already running.
/// Every connection needs the password (SCRAM) that creation generates and keeps in the data folder
/// (<see cref="PasswordFileName"/>, mode 0600): a cluster that trusted local connections would make any
/// local user its superuser. A cluster made before that (trust) is switched over at its next start.
/// </summary>
public sealed class LocalPostgresCluster
{
    private const string PostgresUser = "postgres";

    /// <summary>The file in the data folder holding the postgres user's password.</summary>
    public const string PasswordFileName = "postgres-password";

    private LocalPostgresCluster(string directory, int port, bool asPostgresUser, string binaries, string password)
    {
        Directory = directory;
        Port = port;
        _asPostgresUser = asPostgresUser;
        _binaries = binaries;
        _password = password;
    }

    private readonly bool _asPostgresUser;
    private readonly string _binaries;
    private readonly string _password;

    /// <summary>The cluster's data directory (PGDATA).</summary>
    public string Directory { get; }

    public int Port { get; }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username={PostgresUser};Password={_password};Database={database};Maximum Pool Size=50";

    /// <summary>
    /// Starts the cluster that belongs to <paramref name="dataDirectory"/>, creating it on first use.
    /// When this process is root, PostgreSQL (which refuses root) runs as the postgres user, in a folder
    /// that user can reach: under the data folder when possible, else under /var/tmp.
    /// </summary>
    /// <param name="settings">Extra server settings written at creation, e.g. fsync=off for tests.</param>
    /// <exception cref="StartupException">No binaries, or the cluster cannot be created or started.</exception>
    public static async Task<LocalPostgresCluster> EnsureRunningAsync(
        string dataDirectory,
        Action<string> report,
        IReadOnlyDictionary<string, string>? settings = null,
        CancellationToken cancellationToken = default)
    {
        var binaries = PostgresBinaries.Locate();
        var asPostgresUser = Environment.IsPrivilegedProcess;
        var root = Path.GetFullPath(dataDirectory);
        var directory = await ChooseDirectoryAsync(root, asPostgresUser, report, cancellationToken);
        var portFile = Path.Combine(directory, "newsletter.port");
        var password = await ReadOrCreatePasswordAsync(Path.Combine(root, PasswordFileName), cancellationToken);

        if (!File.Exists(Path.Combine(directory, "PG_VERSION")))
        {
            await InitialiseAsync(binaries, directory, asPostgresUser, password, settings, cancellationToken);
            report($"Created a PostgreSQL cluster in {directory}");
        }

        var port = int.Parse(await File.ReadAllTextAsync(portFile, cancellationToken));
        var cluster = new LocalPostgresCluster(directory, port, asPostgresUser, binaries, password);
        if (await cluster.RunAsync("pg_ctl", ["status", "-D", directory], throwOnError: false, cancellationToken) == 0)
        {
            report($"Using the running PostgreSQL cluster in {directory} (127.0.0.1:{port})");
        }
        else
        {
            var log = Path.Combine(directory, "postgres.log");
            await cluster.RunAsync("pg_ctl", ["start", "-w", "-t", "60", "-D", directory, "-l", log], cancellationToken: cancellationToken);
            report($"Started PostgreSQL in {directory} (127.0.0.1:{port}, log {log})");
        }

        if (await cluster.RequirePasswordAsync(cancellationToken))
            report($"The PostgreSQL cluster in {directory} trusted every local connection; it now requires the password in {Path.Combine(root, PasswordFileName)}");
        return cluster;
    }

    private static async Task<string> ReadOrCreatePasswordAsync(string file, CancellationToken cancellationToken = default)
    {
        if (File.Exists(file))
            return (await File.ReadAllTextAsync(file, cancellationToken)).Trim();
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        try
        {
            await SecretFile.WriteAsync(file, password, overwrite: false, cancellationToken: cancellationToken);
            return password;
        }
        catch (IOException) when (File.Exists(file))
        {
            // Another start made it first: theirs is the one the cluster gets.
            return (await File.ReadAllTextAsync(file, cancellationToken)).Trim();
        }
    }

    /// <summary>
    /// Switches a cluster made by an earlier version (initdb -A trust) to SCRAM passwords: sets the
    /// password while trust still lets us in, then replaces pg_hba.conf and reloads. Repeatable: a start
    /// cut short half-way does it again. True when it changed something.
    /// </summary>
    private async Task<bool> RequirePasswordAsync(CancellationToken cancellationToken = default)
    {
        var hba = Path.Combine(Directory, "pg_hba.conf");
        var trusting = (await File.ReadAllLinesAsync(hba, cancellationToken))
            .Select(line => line.Split('#')[0].Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            .Any(fields => fields.Contains("trust"));
        if (!trusting)
            return false;

        await using (var connection = new NpgsqlConnection(
            $"Host=127.0.0.1;Port={Port};Username={PostgresUser};Database=postgres;Pooling=false;Timeout=30"))
        {
            await connection.OpenAsync(cancellationToken);
            // The password is hex: nothing in it needs quoting. Set before pg_hba.conf changes, so a start
            // cut short in between still finds trust and does it again.
            await using (var alter = new NpgsqlCommand(
                $"SET password_encryption = 'scram-sha-256'; ALTER ROLE {PostgresUser} PASSWORD '{_password}'", connection))
                await alter.ExecuteNonQueryAsync(cancellationToken);
            await SecretFile.WriteAsync(hba, HbaConf, overwrite: true,
                _asPostgresUser ? temporary => ChownAsync(temporary, cancellationToken) : null, cancellationToken);
            await using var reload = new NpgsqlCommand("SELECT pg_reload_conf()", connection);
            await reload.ExecuteNonQueryAsync(cancellationToken);
        }
        return true;
    }

    private const string HbaConf =
        """
        # Written by Newsletter: every connection needs the password (SCRAM), kept in the data folder.
        local   all             all                                     scram-sha-256
        host    all             all             127.0.0.1/32            scram-sha-256
        host    all             all             ::1/128                 scram-sha-256
        local   replication     all                                     scram-sha-256
        host    replication     all             127.0.0.1/32            scram-sha-256
        host    replication     all             ::1/128                 scram-sha-256

        """;

    /// <summary>
    /// Stops the server: fast shutdown, or immediate (no checkpoint) for a throwaway cluster; used by the
    /// test and benchmark harnesses.
    /// </summary>
    public Task StopAsync(bool immediate = false, CancellationToken cancellationToken = default) =>
        RunAsync("pg_ctl", ["stop", "-m", immediate ? "immediate" : "fast", "-D", Directory], cancellationToken: cancellationToken);

    /// <summary>The process id in a data directory's postmaster.pid (first line); null when the file is absent.</summary>
    public static int? PostmasterPid(string dataDirectory)
    {
        var file = Path.Combine(dataDirectory, "postmaster.pid");
        return File.Exists(file) && int.TryParse(File.ReadLines(file).FirstOrDefault(), out var pid) ? pid : null;
    }

    private static async Task<string> ChooseDirectoryAsync(
        string root, bool asPostgresUser, Action<string> report, CancellationToken cancellationToken = default)
    {
        var preferred = Path.Combine(root, "postgres");
        System.IO.Directory.CreateDirectory(preferred);
        if (!asPostgresUser)
            return preferred;

        await ChownAsync(preferred, cancellationToken);
        if (await RunAsPostgresAsync(["test", "-w", preferred, "-a", "-x", preferred], cancellationToken) == 0)
            return preferred;

        // A parent folder the postgres user cannot traverse (a 0700 home, say): keep the cluster
        // elsewhere, at a place derived from the data folder so the next start finds it again.
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(root)))[..12];
        var fallback = Path.Combine("/var/tmp", $"newsletter-{hash}", "postgres");
        System.IO.Directory.CreateDirectory(fallback);
        await ChownAsync(Path.GetDirectoryName(fallback)!, cancellationToken);
        await ChownAsync(fallback, cancellationToken);
        report($"The postgres user cannot reach {preferred}; the cluster lives in {fallback} instead");
        return fallback;
    }

    private static async Task InitialiseAsync(
        string binaries, string directory, bool asPostgresUser, string password,
        IReadOnlyDictionary<string, string>? settings, CancellationToken cancellationToken = default)
    {
        var cluster = new LocalPostgresCluster(directory, 0, asPostgresUser, binaries, password);
        // initdb reads the password from a file the postgres user can read: beside the cluster's folder
        // (initdb wants that folder empty), for the seconds initdb runs.
        var passwordFile = Path.Combine(Path.GetDirectoryName(directory)!, $".initdb-{Guid.NewGuid():N}");
        try
        {
            await SecretFile.WriteAsync(passwordFile, password, overwrite: false,
                asPostgresUser ? temporary => ChownAsync(temporary, cancellationToken) : null, cancellationToken);
            await cluster.RunAsync("initdb",
                ["-D", directory, "-U", PostgresUser, "-A", "scram-sha-256", $"--pwfile={passwordFile}", "-E", "UTF8", "--no-locale"],
                cancellationToken: cancellationToken);
        }
        finally
        {
            File.Delete(passwordFile);
        }

        var port = FreePort();
        var conf = new StringBuilder()
            .AppendLine()
            .AppendLine("# Written by Newsletter when it created this cluster.")
            .AppendLine($"port = {port}")
            .AppendLine("listen_addresses = '127.0.0.1'")
            .AppendLine("unix_socket_directories = ''")
            .AppendLine("max_connections = 300");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            conf.AppendLine($"{key} = {value}");
        await File.AppendAllTextAsync(Path.Combine(directory, "postgresql.conf"), conf.ToString(), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, "newsletter.port"), port.ToString(), cancellationToken);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<int> RunAsync(
        string program, IReadOnlyList<string> arguments, bool throwOnError = true, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(_binaries, program);
        var (exitCode, output) = _asPostgresUser
            ? await RunProcessAsync("runuser", ["-u", PostgresUser, "--", path, .. arguments], cancellationToken)
            : await RunProcessAsync(path, arguments, cancellationToken);
        if (exitCode != 0 && throwOnError)
            throw new StartupException(
                $"PostgreSQL's {program} failed (exit code {exitCode}) for the cluster in {Directory}: {output.Trim()}");
        return exitCode;
    }

    private static async Task ChownAsync(string path, CancellationToken cancellationToken = default)
    {
        var (exitCode, output) = await RunProcessAsync("chown", [$"{PostgresUser}:", path], cancellationToken);
        if (exitCode != 0)
            throw new StartupException($"Could not give {path} to the {PostgresUser} user: {output.Trim()}");
    }

    private static async Task<int> RunAsPostgresAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken = default) =>
        (await RunProcessAsync("runuser", ["-u", PostgresUser, "--", .. arguments], cancellationToken)).ExitCode;

    private static async Task<(int ExitCode, string Output)> RunProcessAsync(
        string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // pg_ctl start leaves the server running with our pipes open unless they are not inherited.
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);

        using var process = Process.Start(start)
            ?? throw new StartupException($"Could not start {fileName}.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }
}
