using System.Diagnostics;
using System.Text.Json;
using Newsletter.Server;

namespace Newsletter.Benchmarks;

/// <summary>
/// The fast sink in a child process of its own (this harness's <c>sink --control on</c>), so that the
/// sending process's memory and CPU figures are the sender's alone: in-process, the sink's buffers and its
/// Message-ID table (one entry per recipient) counted towards the sender's peak RSS.
/// </summary>
public sealed class SinkProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly SemaphoreSlim _exchange = new(1, 1);

    private SinkProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static async Task<SinkProcess> StartAsync()
    {
        var start = ProgramCommand.For(typeof(SinkProcess).Assembly);
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        foreach (var argument in new[] { "sink", "--port", "0", "--control", "on" })
            start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException("The sink process did not start.");
        var first = await process.StandardOutput.ReadLineAsync();
        if (first is null || !first.StartsWith("port ", StringComparison.Ordinal))
            throw new InvalidOperationException($"The sink process said '{first}' instead of its port.");
        return new SinkProcess(process, int.Parse(first["port ".Length..]));
    }

    public async Task ResetAsync()
    {
        var answer = await AskAsync("reset");
        if (answer != "ok")
            throw new InvalidOperationException($"The sink process answered '{answer}' to reset.");
    }

    /// <summary>Messages accepted since the last reset: cheap enough to poll while a send is measured.</summary>
    public async Task<long> AcceptedAsync() => long.Parse(await AskAsync("accepted"), System.Globalization.CultureInfo.InvariantCulture);

    /// <param name="idPrefix">Message-IDs counted in <see cref="SinkStats.Distinct"/>: one send's.</param>
    public async Task<SinkStats> StatsAsync(string idPrefix = "") =>
        JsonSerializer.Deserialize<SinkStats>(await AskAsync("stats " + idPrefix))
        ?? throw new InvalidOperationException("The sink process sent empty stats.");

    /// <summary>
    /// Copies accepted per Message-ID, for the IDs with <paramref name="idPrefix"/>: a send's Message-IDs are one per
    /// recipient (<c>send{send}.{subscriber}@…</c>), so these are copies per recipient.
    /// </summary>
    public async Task<Dictionary<string, int>> CountsAsync(string idPrefix) =>
        JsonSerializer.Deserialize<Dictionary<string, int>>(await AskAsync("counts " + idPrefix))
        ?? throw new InvalidOperationException("The sink process sent empty counts.");

    private async Task<string> AskAsync(string command)
    {
        await _exchange.WaitAsync();
        try
        {
            await _process.StandardInput.WriteLineAsync(command);
            await _process.StandardInput.FlushAsync();
            return await _process.StandardOutput.ReadLineAsync()
                ?? throw new InvalidOperationException("The sink process exited.");
        }
        finally
        {
            _exchange.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }
        _process.Dispose();
        _exchange.Dispose();
    }
}
