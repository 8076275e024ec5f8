using System.Text.RegularExpressions;

namespace Newsletter.Tests.Structure;

/// <summary>The library's folders depend on each other one way, in the order the README's code map gives.</summary>
public sealed partial class FolderDependencyTests
{
    // A folder may use only folders of a lower layer; folders of one layer do not use each other.
    private static readonly Dictionary<string, int> Layers = new()
    {
        ["Configuration"] = 0, ["Storage"] = 0, ["Telemetry"] = 0,
        ["Jobs"] = 1, ["Content"] = 1, ["Pages"] = 1,
        ["Rendering"] = 2, ["Issues"] = 2,
        ["Mail"] = 3,
        ["Subscribers"] = 4, ["Alerts"] = 4,
        ["Preflight"] = 5,
        ["Sending"] = 6,
        ["Scheduling"] = 7, ["Bounces"] = 7,
        ["Operations"] = 8, ["Archive"] = 8,
        ["Authoring"] = 9, ["Api"] = 9,
    };

    [Fact]
    public void FoldersUseOnlyLowerLayers()
    {
        var library = Path.Combine(RepositoryRoot(), "src", "Newsletter");
        var folders = Directory.GetDirectories(library).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).ToList();
        Assert.All(folders, f => Assert.True(Layers.ContainsKey(f!), $"folder {f} has no place in the layer order"));

        var wrong = new List<string>();
        foreach (var folder in folders)
            foreach (var file in Directory.EnumerateFiles(Path.Combine(library, folder!), "*.*", SearchOption.AllDirectories)
                         .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal)))
                foreach (Match use in Reference().Matches(File.ReadAllText(file)))
                {
                    var used = use.Groups[1].Value;
                    if (used != folder && Layers.TryGetValue(used, out var layer) && layer >= Layers[folder!])
                        wrong.Add($"{Path.GetRelativePath(library, file)} uses {used}");
                }

        Assert.Empty(wrong);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Newsletter.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Newsletter.sln not found above the test binaries.");
    }

    [GeneratedRegex(@"\bNewsletter\.([A-Z][A-Za-z]+)\b")]
    private static partial Regex Reference();
}
