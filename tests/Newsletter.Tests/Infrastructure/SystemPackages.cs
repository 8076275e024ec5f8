using System.Collections.Concurrent;
using System.Diagnostics;

namespace Newsletter.Tests.Infrastructure;

/// <summary>
/// Debian packages some tests drive as real programs (Chromium, python3-dkim, SpamAssassin). A missing
/// package is installed with apt when the tests run as root (CI, a fresh container), so <c>dotnet test</c>
/// alone sets up what it needs; otherwise the test fails with one line saying what to install.
/// </summary>
public static class SystemPackages
{
    // Other test processes on the machine (a second worktree, say) may install at the same moment;
    // apt's own lock would make the loser fail instead of wait.
    private static readonly string LockPath = Path.Combine(Path.GetTempPath(), "newsletter-tests-apt.lock");
    private static readonly ConcurrentDictionary<string, Lazy<Task>> Required = new();
    private static readonly SemaphoreSlim AptGate = new(1, 1);
    private static bool _listsUpdated;

    /// <summary>
    /// Returns once <paramref name="package"/> is installed, installing it (once per test run) if needed.
    /// Throws <see cref="InvalidOperationException"/> with a one-line message when it is missing and
    /// cannot be installed here.
    /// </summary>
    public static Task RequireAsync(string package, CancellationToken cancellationToken = default) =>
        // Shared by every caller: one caller giving up must not cancel the install the others wait for.
        Required.GetOrAdd(package, name => new Lazy<Task>(() => EnsureInstalledAsync(name, CancellationToken.None)))
            .Value.WaitAsync(cancellationToken);

    private static async Task EnsureInstalledAsync(string package, CancellationToken cancellationToken)
    {
        if (await IsInstalledAsync(package, cancellationToken))
            return;
        if (!Environment.IsPrivilegedProcess)
            throw new InvalidOperationException(
                $"These tests need the Debian package {package}: run `sudo apt-get install -y {package}` (or run the tests as root to have it installed).");

        await AptGate.WaitAsync(cancellationToken);
        try
        {
            await using var machineLock = await TakeMachineLockAsync(cancellationToken);
            if (await IsInstalledAsync(package, cancellationToken))
                return;
            if (!_listsUpdated)
            {
                await AptAsync(package, ["update", "-q"], cancellationToken);
                _listsUpdated = true;
            }
            await AptAsync(package, ["install", "-y", "-q", "--no-install-recommends", package], cancellationToken);
        }
        finally
        {
            AptGate.Release();
        }
        if (!await IsInstalledAsync(package, cancellationToken))
            throw new InvalidOperationException($"apt-get install {package} finished but dpkg does not list {package} as installed.");
    }

    private static async Task<bool> IsInstalledAsync(string package, CancellationToken cancellationToken)
    {
        try
        {
            var (exitCode, output) = await RunAsync("dpkg-query", ["-W", "-f=${Status}", package], cancellationToken);
            return exitCode == 0 && output.Trim() == "install ok installed";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException(
                $"These tests need the Debian package {package}, and this machine has no dpkg: install {package} by hand.");
        }
    }

    private static async Task AptAsync(string package, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        // Wait for another apt (unattended upgrades, another test run) instead of failing on its lock.
        var (exitCode, output) = await RunAsync("apt-get", ["-o", "DPkg::Lock::Timeout=600", .. arguments], cancellationToken);
        if (exitCode != 0)
        {
            var lastLine = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            throw new InvalidOperationException(
                $"These tests need the Debian package {package}; `apt-get {string.Join(' ', arguments)}` failed (exit code {exitCode}): {lastLine}");
        }
    }

    private static async Task<FileStream> TakeMachineLockAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive flock on Linux, released when the stream is disposed.
                return new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            }
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(
        string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output + await error);
    }
}
