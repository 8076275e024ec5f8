using System.Text;
using System.Text.RegularExpressions;
using Newsletter.Content;
using Newsletter.Issues;
using Newsletter.Tests.Infrastructure;
using Newsletter.Tests.Rendering;
using Npgsql;

namespace Newsletter.Tests.BadInput;

/// <summary>
/// Hostile issue files (<c>BadInput/Markdown</c>): each is refused with an <see cref="IssueFormatException"/>
/// whose message names the file and, where there is one, the line, and adding it stores nothing; or it is
/// stored and renders inert. Nothing else may come out: no other exception, no hang, no stack overflow.
/// </summary>
[Collection(RenderingCollection.Name)]
public sealed partial class IssueCorpusTests(RenderingFixture fixture) : IAsyncLifetime
{
    private const string Folder = "Markdown";

    private readonly DirectoryInfo _generated = Directory.CreateTempSubdirectory("bad-issues-");
    private NpgsqlDataSource _database = null!;
    private IssueLibrary _library = null!;

    public static TheoryData<string> Cases => BadInputCorpus.Names(Folder);

    public async Task InitializeAsync()
    {
        _database = NpgsqlDataSource.Create(await TestPostgres.CreateMigratedDatabaseAsync(nameof(IssueCorpusTests)));
        _library = new IssueLibrary(new IssueStore(_database), new IssueReader());
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _generated.Delete(recursive: true);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task HostileIssueIsRefusedWithFileAndLineOrRendersInert(string file)
    {
        var expected = BadInputCorpus.Expectation(Folder, file);
        var path = PathOf(file);
        var stored = await IssueCountAsync();

        if (expected.Text("error") is { } error)
        {
            var refused = await Assert.ThrowsAsync<IssueFormatException>(() => new IssueReader().ReadAsync(path));
            Assert.Equal(error.Replace("{file}", path), refused.Message);
            await Assert.ThrowsAsync<IssueFormatException>(() => _library.AddIssueAsync(path));
            Assert.Equal(stored, await IssueCountAsync());
            return;
        }

        var issue = await new IssueReader().ReadAsync(path);
        var record = await _library.AddIssueAsync(path);
        Assert.Equal(stored + 1, await IssueCountAsync());
        Assert.Equal(issue.Slug, record.Slug);
        if (expected.Text("title") is { } title)
            Assert.Equal(title, issue.Title);
        var html = (await fixture.Renderer.RenderIssueAsync(issue)).Html;
        foreach (var inert in (string[])["<script", "<iframe", "<base", "<meta http-equiv", "javascript:", "vbscript:", "data:text/html", .. expected.Strings("absent")])
            Assert.DoesNotContain(inert, html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(EventHandlerAttribute(), html);
        foreach (var kept in expected.Strings("html"))
            Assert.Contains(kept, html);
    }

    /// <summary>A generated case is written once per run; the others are the corpus files themselves.</summary>
    private string PathOf(string file)
    {
        if (BadInputCorpus.Bytes(Folder, file) is not null)
            return BadInputCorpus.PathOf(Folder, file);
        var path = Path.Combine(_generated.FullName, file);
        File.WriteAllText(path, Generate(file));
        return path;
    }

    private static string Generate(string file) => file switch
    {
        "yaml-deep-nesting.md" => $"---\ntitle: Deep\nx: {new string('[', 50_000)}{new string(']', 50_000)}\n---\n\nBody.\n",
        "yaml-deep-block-nesting.md" =>
            $"---\ntitle: Deep\n{string.Concat(Enumerable.Range(0, 40).Select(i => new string(' ', i) + "a:\n"))}---\n\nBody.\n",
        "deep-quotes.md" => $"# Deep quotes\n\n{new string('>', 10_000)} bottom\n",
        "deep-lists.md" => $"# Deep lists\n\n{string.Concat(Enumerable.Range(0, 200).Select(i => new string(' ', i * 2) + "- item\n"))}",
        "deep-brackets.md" => $"# Deep links\n\n{new string('[', 100_000)}x{new string(']', 100_000)}(https://example.com/)\n",
        "deep-emphasis.md" => $"# Deep emphasis\n\n{string.Concat(Enumerable.Repeat("*a _b ", 20_000))}{string.Concat(Enumerable.Repeat("b_ a* ", 20_000))}\n",
        "nesting-within-the-limit.md" => $"# Nested but fine\n\n{new string('>', 60)} quoted sixty deep\n\n{string.Concat(Enumerable.Range(0, 30).Select(i => new string(' ', i * 2) + "- level " + i + "\n"))}",
        "huge-title.md" => $"---\ntitle: {new string('T', 100_000)}\n---\n\nBody.\n",
        "five-megabyte-body.md" => FiveMegabytes(),
        _ => throw new ArgumentException($"No file and no generator for {file}"),
    };

    private static string FiveMegabytes()
    {
        var markdown = new StringBuilder("# Five megabytes\n\nHello.\n\n");
        for (var section = 0; markdown.Length < 5 << 20; section++)
        {
            markdown.Append($"## Section {section}\n\n[Read it](https://example.com/{section})\n\n");
            for (var paragraph = 0; paragraph < 20; paragraph++)
                markdown.Append("Some words about the link, with *emphasis* and a [second link](https://example.org/x). ").Append(string.Concat(Enumerable.Repeat("More words. ", 20))).Append("\n\n");
        }
        return markdown.ToString();
    }

    private async Task<long> IssueCountAsync()
    {
        await using var command = _database.CreateCommand("SELECT count(*) FROM issues");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [GeneratedRegex(@"<[^>]+\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EventHandlerAttribute();
}
