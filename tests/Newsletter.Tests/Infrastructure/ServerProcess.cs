using System.Diagnostics;
using System.Text;

namespace Newsletter.Tests.Infrastructure;

/// <summary>
/// The real executable running <c>serve</c> as a separate process, so a test can kill it with SIGKILL
/// mid-send or run two of them against one database.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _workingDirectory;
    private bool _ownsLocalCluster;

    private ServerProcess(Process process, string workingDirectory)
    {
        _process = process;
        _workingDirectory = workingDirectory;
        process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    /// <summary>The process's <c>Newsletter:DataDirectory</c>.</summary>
    public string DataDirectory => Path.Combine(_workingDirectory, "data");

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public static ServerProcess Start(IReadOnlyDictionary<string, string> settings) =>
        Run(settings, "serve", "--urls=http://127.0.0.1:0");

    /// <summary>
    /// <c>serve</c> on a known port. Without a connection string in <paramref name="settings"/> it starts the
    /// zero-config cluster, which is stopped and removed with the process.
    /// </summary>
    public static ServerProcess Serve(IReadOnlyDictionary<string, string> settings, int port)
    {
        var server = Run(settings, "serve", $"--urls=http://127.0.0.1:{port}");
        server._ownsLocalCluster = !settings.ContainsKey("ConnectionStrings:Newsletter");
        return server;
    }

    /// <summary>Runs any verb of the executable, e.g. <c>send issue.md --list weekly --now</c>.</summary>
    public static ServerProcess Run(IReadOnlyDictionary<string, string> settings, params string[] arguments)
    {
        var workingDirectory = Directory.CreateTempSubdirectory("newsletter-server").FullName;
        var start = StartInfo(workingDirectory, arguments);
        start.Environment["Newsletter__DataDirectory"] = Path.Combine(workingDirectory, "data");
        start.Environment["Newsletter__Admin__Password"] = "process-test";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // Perl costs seconds per new text; the tests that score with SpamAssassin switch it back on.
        start.Environment["Newsletter__Preflight__SpamAssassin"] = "false";
        foreach (var (key, value) in settings)
            start.Environment[key.Replace(":", "__")] = value;
        return new ServerProcess(Process.Start(start)!, workingDirectory);
    }

    /// <summary>
    /// Runs a verb as a newcomer does: in a folder holding the repository's own appsettings.json,
    /// unchanged, with no configuration from the environment (so the zero-config defaults apply).
    /// </summary>
    public static ServerProcess RunAsShipped(params string[] arguments)
    {
        var workingDirectory = Directory.CreateTempSubdirectory("newsletter-shipped").FullName;
        File.Copy(Path.Combine(RepositoryRoot, "appsettings.json"), Path.Combine(workingDirectory, "appsettings.json"));
        var start = StartInfo(workingDirectory, arguments);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Newsletter__") || k.StartsWith("ConnectionStrings__")).ToList())
            start.Environment.Remove(key);
        return new ServerProcess(Process.Start(start)!, workingDirectory) { _ownsLocalCluster = true };
    }

    /// <summary>The clone the tests were built from.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
                if (File.Exists(Path.Combine(directory.FullName, "Newsletter.sln")))
                    return directory.FullName;
            throw new InvalidOperationException("Newsletter.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Waits until a line of output matches; returns the match.</summary>
    public async Task<System.Text.RegularExpressions.Match> WaitForOutputAsync(System.Text.RegularExpressions.Regex pattern, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var match = pattern.Match(Output);
            if (match.Success)
                return match;
            if (HasExited || DateTime.UtcNow > deadline)
                throw new TimeoutException($"No output matching {pattern} (exited: {HasExited}). Output:\n{Output}");
            await Task.Delay(100);
        }
    }

    private static ProcessStartInfo StartInfo(string workingDirectory, string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "Newsletter.Server"))
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        return start;
    }

    /// <summary>Waits for the process to end by itself (a start-up that fails); returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush, exactly like a crash.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        if (_ownsLocalCluster)
            await RemoveLocalClusterAsync();
        Directory.Delete(_workingDirectory, recursive: true);
    }

    /// <summary>
    /// The zero-config cluster a shipped run started outlives it (pg_ctl detaches the server): stop it,
    /// and remove its folder when it had to live under /var/tmp rather than in the data folder.
    /// </summary>
    private async Task RemoveLocalClusterAsync()
    {
        foreach (var directory in LocalClusterPattern().Matches(Output).Select(m => m.Groups["dir"].Value).Distinct())
        {
            await AbandonedClusters.StopServerAsync(directory);
            var parent = Path.GetDirectoryName(directory)!;
            if (parent.StartsWith("/var/tmp/newsletter-", StringComparison.Ordinal) && Directory.Exists(parent))
                Directory.Delete(parent, recursive: true);
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"PostgreSQL (?:cluster )?in (?<dir>/\S+)")]
    private static partial System.Text.RegularExpressions.Regex LocalClusterPattern();
}
