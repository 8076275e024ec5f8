using System.Diagnostics;
using System.Text;

namespace Newsletter.Tests.Infrastructure;

/// <summary>
/// The real executable running <c>serve</c> as a separate process, so a test can kill it with SIGKILL
/// mid-send or run two of them against one database.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _workingDirectory;

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

    /// <summary>Runs any verb of the executable, e.g. <c>send issue.md --list weekly --now</c>.</summary>
    public static ServerProcess Run(IReadOnlyDictionary<string, string> settings, params string[] arguments)
    {
        var workingDirectory = Directory.CreateTempSubdirectory("newsletter-server").FullName;
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "Newsletter.Server"))
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["Newsletter__DataDirectory"] = Path.Combine(workingDirectory, "data");
        start.Environment["Newsletter__Admin__Password"] = "process-test";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
            start.Environment[key.Replace(":", "__")] = value;
        return new ServerProcess(Process.Start(start)!, workingDirectory);
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
        Directory.Delete(_workingDirectory, recursive: true);
    }
}
