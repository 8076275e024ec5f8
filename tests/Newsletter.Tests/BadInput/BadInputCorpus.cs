using System.Text.Json;

namespace Newsletter.Tests.BadInput;

/// <summary>
/// The hostile inputs under <c>BadInput/</c>: each folder has a <c>manifest.json</c> naming every case and
/// what it must produce. A case is a file of the folder, or, when too big to keep in git, made by the
/// test class (<c>"generated": true</c>). Cases are theory rows by name, so a failure names its file.
/// </summary>
internal static class BadInputCorpus
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "BadInput");

    /// <summary>Every case name of a folder, in manifest order.</summary>
    public static TheoryData<string> Names(string folder)
    {
        var names = new TheoryData<string>();
        foreach (var property in Manifest(folder).EnumerateObject())
            names.Add(property.Name);
        return names;
    }

    /// <summary>What the manifest says about one case.</summary>
    public static JsonElement Expectation(string folder, string name) => Manifest(folder).GetProperty(name);

    /// <summary>The case's file, or null for a generated case.</summary>
    public static byte[]? Bytes(string folder, string name) =>
        Expectation(folder, name).TryGetProperty("generated", out var generated) && generated.GetBoolean()
            ? null
            : File.ReadAllBytes(PathOf(folder, name));

    public static string PathOf(string folder, string name) => Path.Combine(Root, folder, name);

    public static string? Text(this JsonElement expectation, string property) =>
        expectation.TryGetProperty(property, out var value) && value.ValueKind != JsonValueKind.Null ? value.GetString() : null;

    public static string[] Strings(this JsonElement expectation, string property) =>
        expectation.TryGetProperty(property, out var value) ? value.EnumerateArray().Select(v => v.GetString()!).ToArray() : [];

    private static JsonElement Manifest(string folder)
    {
        using var stream = File.OpenRead(Path.Combine(Root, folder, "manifest.json"));
        using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        return document.RootElement.Clone();
    }
}
