using System.Diagnostics;
using System.Net.Sockets;

namespace Newsletter.Server.Cli;

/// <summary>
/// The demo's SMTP peer: smtp4dev (a local dotnet tool of this repository) on the configured loopback
/// port, with its web inbox on port 5080. Left running after the demo so the mail can be read.
/// </summary>
public static class MailCatcher
{
    public const string InboxUrl = "http://127.0.0.1:5080";

    /// <summary>Starts smtp4dev unless something already answers on the port; returns what runs there.</summary>
    public static async Task<string> EnsureRunningAsync(string host, int port, string dataDirectory, CancellationToken cancellationToken = default)
    {
        if (await AnswersAsync(host, port, cancellationToken))
            return $"an SMTP server already listens on {host}:{port}: the demo mail goes there";
        if (host is not ("127.0.0.1" or "localhost"))
            throw new Newsletter.Storage.StartupException(
                $"Nothing answers on the SMTP relay {host}:{port}, and the demo only starts its own mail catcher on 127.0.0.1.");

        await RunAsync("dotnet", ["tool", "restore"], cancellationToken);
        Directory.CreateDirectory(dataDirectory);
        var log = Path.Combine(Path.GetFullPath(dataDirectory), "smtp4dev.log");
        // Through a shell with nohup, so the catcher outlives this process and keeps no pipe of ours.
        var command = $"nohup dotnet smtp4dev --urls={InboxUrl} --smtpport={port} --bindaddress=127.0.0.1 " +
                      $"--imapport= --pop3port= --db= --messagestokeep=100000 > '{log}' 2>&1 &";
        await RunAsync("/bin/sh", ["-c", command], cancellationToken);

        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!await AnswersAsync(host, port, cancellationToken))
        {
            if (DateTime.UtcNow > deadline)
                throw new Newsletter.Storage.StartupException($"smtp4dev did not start listening on {host}:{port}; see {log}.");
            await Task.Delay(500, cancellationToken);
        }
        return $"smtp4dev, inbox at {InboxUrl}, SMTP on {host}:{port} (log {log})";
    }

    private static async Task<bool> AnswersAsync(string host, int port, CancellationToken cancellationToken = default)
    {
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await client.ConnectAsync(host, port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
            throw new Newsletter.Storage.StartupException(
                $"`{program} {string.Join(' ', arguments)}` failed: {(await error + await output).Trim()}");
    }
}
