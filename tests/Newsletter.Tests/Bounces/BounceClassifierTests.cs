using System.Text.Json;
using MimeKit;
using Newsletter.Bounces;

namespace Newsletter.Tests.Bounces;

/// <summary>
/// The corpus under <c>Bounces/Fixtures</c>: delivery status notifications, abuse reports, plain-text bounces
/// in the shapes Exchange, Gmail and qmail write, and malformed or unrelated mail, each with the reading
/// <c>manifest.json</c> expects. Written for these tests from RFC 3464 and RFC 5965.
/// </summary>
public sealed class BounceClassifierTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Bounces", "Fixtures");
    private static readonly BounceClassifier Classifier = new("bounces@example.com");

    public static TheoryData<string> Cases()
    {
        var names = new TheoryData<string>();
        foreach (var property in Manifest().EnumerateObject())
            names.Add(property.Name);
        return names;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EachFixtureIsReadAsItsManifestSays(string file)
    {
        var expected = Manifest().GetProperty(file);
        using var stream = File.OpenRead(Path.Combine(Folder, file));
        var report = Classifier.Classify(MimeMessage.Load(stream));

        Assert.Equal(expected.GetProperty("kind").GetString(), report.Kind.ToString());
        if (!expected.TryGetProperty("recipient", out _))
            return;
        Assert.Equal(Text(expected, "recipient"), report.Recipient);
        Assert.Equal(Text(expected, "status"), report.Status);
        Assert.Equal(Text(expected, "token"), report.VerpToken);
        Assert.Equal(Text(expected, "messageId"), report.OriginalMessageId);
    }

    [Fact]
    public void EveryFixtureHasAnExpectation()
    {
        var files = Directory.GetFiles(Folder, "*.eml").Select(f => Path.GetFileName(f)).Order().ToList();
        Assert.Equal(files, Manifest().EnumerateObject().Select(p => p.Name).Order().ToList());
    }

    [Fact]
    public void WithoutABounceAddressNoTokenIsRead()
    {
        using var stream = File.OpenRead(Path.Combine(Folder, "dsn-hard-user-unknown.eml"));
        var report = new BounceClassifier(null).Classify(MimeMessage.Load(stream));

        Assert.Equal(BounceKind.Hard, report.Kind);
        Assert.Null(report.VerpToken);
        Assert.Equal("send7.42@example.com", report.OriginalMessageId);
    }

    private static string? Text(JsonElement element, string name) =>
        element.GetProperty(name).ValueKind == JsonValueKind.Null ? null : element.GetProperty(name).GetString();

    private static JsonElement Manifest() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "manifest.json"))).RootElement;
}
