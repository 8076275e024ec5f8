using System.Diagnostics;
using Newsletter.Storage;

namespace Newsletter.Tests.Infrastructure;

/// <summary>
/// Test runs leave their cluster behind when the test host is stopped before its exit handler finishes
/// (the runner does not wait for a PostgreSQL shutdown): 95 folders and 19 GB under /tmp were found
/// here. Each run's folder names its owner process; a run removes the folders of owners that are gone.
/// </summary>
public static class AbandonedClusters
{
    public const string OwnerFile = "owner.pid";

    // Folders of runs from before owner files: only once nothing could still be creating them.
    private static readonly TimeSpan UnownedGrace = TimeSpan.FromMinutes(10);

    /// <summary>Marks <paramref name="root"/> as this process's, before a cluster is made in it.</summary>
    public static void Claim(string root)
    {
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, OwnerFile), Environment.ProcessId.ToString());
    }

    /// <summary>Stops the server and deletes every <paramref name="prefix"/>* folder whose owner is gone.</summary>
    public static async Task RemoveAsync(string parent, string prefix)
    {
        foreach (var root in Directory.EnumerateDirectories(parent, prefix + "*"))
        {
            if (!IsAbandoned(root))
                continue;
            await StopServerAsync(Path.Combine(root, "postgres"));
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another run got there first, or a file is not ours to delete: the next run tries again.
            }
        }
    }

    private static bool IsAbandoned(string root)
    {
        var owner = Path.Combine(root, OwnerFile);
        if (!File.Exists(owner))
            return DateTime.UtcNow - Directory.GetLastWriteTimeUtc(root) > UnownedGrace;
        return !int.TryParse(File.ReadAllText(owner).Trim(), out var pid) || !IsRunning(pid);
    }

    /// <summary>Immediate shutdown (SIGQUIT to the postmaster): the data is thrown away anyway.</summary>
    public static async Task StopServerAsync(string dataDirectory)
    {
        if (LocalPostgresCluster.PostmasterPid(dataDirectory) is not { } pid || !IsRunning(pid))
            return;
        using (var kill = Process.Start("kill", ["-QUIT", pid.ToString()]))
            await kill.WaitForExitAsync();
        for (var waited = 0; waited < 100 && IsRunning(pid); waited++)
            await Task.Delay(100);
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
