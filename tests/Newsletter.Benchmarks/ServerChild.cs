using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Newsletter.Server;

namespace Newsletter.Benchmarks;

/// <summary>
/// The real executable running <c>serve</c> in a child process, as in production: public pages, /healthz and
/// the job server that sends, configured through environment variables only (its working folder holds no
/// appsettings.json). Load on its endpoints and its send then compete inside one process, as they would.
/// </summary>
public sealed class ServerChild : IAsyncDisposable
{
    private const int KeptLines = 40;
    private readonly Process _process;
    private readonly Queue<string> _tail = new();

    private ServerChild(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public int Id => _process.Id;

    /// <summary>The server's CPU time so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Starts <c>serve</c> on a free loopback port; returns once <c>/healthz</c> answers.</summary>
    /// <param name="settings">Configuration keys (<c>Newsletter:Smtp:Port</c>), passed as environment variables.</param>
    public static async Task<ServerChild> StartAsync(string workingDirectory, IReadOnlyDictionary<string, string> settings)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = ProgramCommand.For(typeof(AppHost).Assembly);
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add($"--urls={address.ToString().TrimEnd('/')}");
        start.WorkingDirectory = Directory.CreateDirectory(workingDirectory).FullName;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        foreach (var (key, value) in settings)
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        var server = new ServerChild(Process.Start(start) ?? throw new InvalidOperationException("serve did not start."), address);
        try
        {
            await server.WaitUntilAnsweringAsync(TimeSpan.FromMinutes(2));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    private async Task WaitUntilAnsweringAsync(TimeSpan patience)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"serve exited with {_process.ExitCode}:\n{Tail()}");
            try
            {
                // 503 counts: the relay and Hangfire are probed in the background, the web host is up.
                using var answer = await client.GetAsync("/healthz");
                return;
            }
            catch (HttpRequestException) when (deadline.Elapsed < patience)
            {
                await Task.Delay(200);
            }
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
            return;
        lock (_tail)
        {
            _tail.Enqueue(line);
            if (_tail.Count > KeptLines)
                _tail.Dequeue();
        }
    }

    /// <summary>The server's last lines of output, for an error message.</summary>
    public string Tail()
    {
        lock (_tail)
            return string.Join('\n', _tail);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
