using System.Diagnostics;
using Newsletter.Server;

namespace Newsletter.Benchmarks;

/// <summary>
/// The real executable running <c>serve</c> in a child process, configured through environment variables only,
/// its output appended to a log file: a process <see cref="KillAsync"/> can end with SIGKILL, as a crash does.
/// </summary>
public sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private ServeProcess(Process process, StreamWriter log)
    {
        _process = process;
        _log = log;
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public bool HasExited => _process.HasExited;

    /// <param name="settings">Configuration keys (<c>Newsletter:Smtp:Port</c>), passed as environment variables.</param>
    /// <param name="logPath">Appended to: every process of a run writes the same file.</param>
    public static ServeProcess Start(string workingDirectory, IReadOnlyDictionary<string, string> settings, string logPath)
    {
        var start = ProgramCommand.For(typeof(AppHost).Assembly);
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add("--urls=http://127.0.0.1:0");
        start.WorkingDirectory = Directory.CreateDirectory(workingDirectory).FullName;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        foreach (var (key, value) in settings)
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        log.WriteLine($"--- serve started {DateTime.UtcNow:O}");
        return new ServeProcess(Process.Start(start) ?? throw new InvalidOperationException("serve did not start."), log);
    }

    /// <summary>SIGKILL: no shutdown, no last flush. Returns once the process is gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    private void Write(string? line)
    {
        if (line is null)
            return;
        lock (_log)
            _log.WriteLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        lock (_log)
            _log.Dispose();
    }
}
