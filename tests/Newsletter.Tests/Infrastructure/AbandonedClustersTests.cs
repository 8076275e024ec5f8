using System.Diagnostics;
using Newsletter.Storage;

namespace Newsletter.Tests.Infrastructure;

public sealed class AbandonedClustersTests : IDisposable
{
    private const string Prefix = "newsletter-tests-";
    private readonly string _parent = Path.Combine(Path.GetTempPath(), $"abandoned-clusters-{Guid.NewGuid():N}");

    [Fact]
    public async Task AClusterWhoseRunIsGoneIsStoppedAndRemoved()
    {
        var root = Path.Combine(_parent, Prefix + "gone");
        Directory.CreateDirectory(root);
        await File.WriteAllTextAsync(Path.Combine(root, AbandonedClusters.OwnerFile), (await ExitedProcessIdAsync()).ToString());
        var cluster = await LocalPostgresCluster.EnsureRunningAsync(root, _ => { },
            new Dictionary<string, string> { ["fsync"] = "off" });
        var postmaster = LocalPostgresCluster.PostmasterPid(cluster.Directory)!.Value;

        await AbandonedClusters.RemoveAsync(_parent, Prefix);

        Assert.False(Directory.Exists(root));
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(postmaster));
    }

    [Fact]
    public async Task FoldersOfLiveRunsAndRecentUnownedOnesAreKept()
    {
        var mine = Path.Combine(_parent, Prefix + "mine");
        AbandonedClusters.Claim(mine);
        var unowned = Path.Combine(_parent, Prefix + "unowned");
        Directory.CreateDirectory(unowned);
        var other = Path.Combine(_parent, "something-else");
        Directory.CreateDirectory(other);
        await File.WriteAllTextAsync(Path.Combine(other, AbandonedClusters.OwnerFile), (await ExitedProcessIdAsync()).ToString());

        await AbandonedClusters.RemoveAsync(_parent, Prefix);

        Assert.True(Directory.Exists(mine));
        Assert.True(Directory.Exists(unowned));
        Assert.True(Directory.Exists(other));
    }

    private static async Task<int> ExitedProcessIdAsync()
    {
        using var process = Process.Start("true")!;
        await process.WaitForExitAsync();
        return process.Id;
    }

    public void Dispose()
    {
        if (Directory.Exists(_parent))
            Directory.Delete(_parent, recursive: true);
    }
}
