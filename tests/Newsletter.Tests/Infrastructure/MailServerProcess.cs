using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Newsletter.Tests.Infrastructure;

/// <summary>What <see cref="PrivateDovecot"/> and <see cref="PrivatePostfix"/> share: root, commands, waiting for a port.</summary>
internal static class MailServerProcess
{
    /// <summary>
    /// Dovecot and Postfix start as root and drop to their own users; a test run as anyone else fails with one
    /// line naming what it needs.
    /// </summary>
    public static async Task RequireAsync(string package)
    {
        if (!Environment.IsPrivilegedProcess)
            throw new InvalidOperationException($"This test starts private {package} servers, which must be started as root: run the tests as root.");
        await SystemPackages.RequireAsync(package);
    }

    /// <summary>Runs a command to its end; throws with its output when it fails.</summary>
    public static async Task RunAsync(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output}{await error}");
    }

    /// <summary>Waits until something listens on the port.</summary>
    public static async Task WaitForPortAsync(int port, Func<string> diagnostics)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
            catch (SocketException e)
            {
                throw new InvalidOperationException($"Nothing listens on 127.0.0.1:{port}: {e.Message}. {diagnostics()}");
            }
        }
    }
}
