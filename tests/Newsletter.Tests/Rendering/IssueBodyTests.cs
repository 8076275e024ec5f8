using Newsletter.Content;
using Newsletter.Rendering;

namespace Newsletter.Tests.Rendering;

public sealed class IssueBodyTests
{
    private readonly IssueReader _reader = new();

    private async Task<(Issue Issue, IssueBody Body)> SampleAsync()
    {
        var issue = await _reader.ReadAsync(RenderingFixture.SamplePath);
        return (issue, IssueBody.Of(issue));
    }

    private IssueBody Body(string markdown) => IssueBody.Of(_reader.Parse(markdown, "test.md"));

    [Fact]
    public async Task SamplePreheaderSkipsTheGreetingAndReadingTimeCountsEveryWord()
    {
        var (_, body) = await SampleAsync();

        Assert.StartsWith("Boring databases", body.Preheader);
        Assert.True(body.ReadingMinutes >= 5, $"reading time {body.ReadingMinutes} min");
    }

    [Fact]
    public async Task IntroBlocksKeepTheirMergeTokensInTextAndTheirEmphasisInHtml()
    {
        var (_, body) = await SampleAsync();

        Assert.Equal("Hi {{name|there}},", body.Intro[0].Text);
        Assert.Contains("<strong>quiet infrastructure</strong>", body.Intro[2].Html);
    }

    [Fact]
    public async Task ContentLinksAreNotRepeatedInTheSectionText()
    {
        var (issue, body) = await SampleAsync();

        foreach (var section in issue.Sections)
        {
            Assert.DoesNotContain(body.BlocksOf(section), b => b.Text.Contains(section.ContentLink!.Url, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task QuotesAndNotesReadWithoutTheirMarkers()
    {
        var (issue, body) = await SampleAsync();

        var first = body.BlocksOf(issue.Sections[0]);
        Assert.StartsWith("\"Most teams adopt", first[0].Text);
        Assert.StartsWith("I have been guilty", first[3].Text);
        Assert.DoesNotContain("Note:", first[3].Html);
        var alert = body.BlocksOf(issue.Sections[1]).Last(b => b.Block is NoteBlock);
        Assert.StartsWith("The article's examples use PostgreSQL", alert.Text);
    }

    [Fact]
    public async Task HeadingsListsCodeAndTablesAreWrittenForReading()
    {
        var (issue, body) = await SampleAsync();
        var blocks = issue.Sections.SelectMany(body.BlocksOf).ToList();

        Assert.Equal("What the author would still split out", Assert.Single(blocks, b => b.Block is HeadingBlock).Text);
        Assert.Contains(blocks, b => b.Block is ListBlock { Ordered: true } && b.Text.StartsWith("1. Record the intent", StringComparison.Ordinal));
        var code = Assert.Single(blocks, b => b.Block is CodeBlock);
        Assert.Contains("select status, count(*)", code.Text);
        Assert.DoesNotContain("<code", code.Html);
        var table = Assert.Single(blocks, b => b.Block is TableBlock);
        Assert.Contains("<table>", table.Html);
        Assert.Contains("400 per second | 200 ms | 80", table.Text);
    }

    [Fact]
    public void LinksReadAsTextThenUrl()
    {
        var body = Body("""
            # Links

            See [the spec](https://a.example/spec), then <https://b.example/> and [the spec again](https://a.example/spec).
            """);

        Assert.Equal("See the spec (https://a.example/spec), then https://b.example/ and the spec again (https://a.example/spec).", body.Intro[0].Text);
    }

    [Fact]
    public void NestedListsAreIndentedUnderTheirItem()
    {
        var body = Body("# L\n\n1. One\n   - a\n   - b\n2. Two\n");

        Assert.Equal("1. One\n   - a\n   - b\n2. Two", body.Intro[0].Text);
    }

    [Fact]
    public void PreheaderComesFromTheIntroUnlessTheFrontMatterGivesOne()
    {
        var derived = Body("""
            Title: Plain Header Issue

            Hello there, this is the intro and it is long enough to be a preheader on its own merits.

            ## First
            Text.
            """);
        var given = Body("---\ntitle: T\npreheader: Written by hand\n---\nHello there, this is the intro.\n");

        Assert.StartsWith("Hello there, this is the intro", derived.Preheader);
        Assert.Equal("Written by hand", given.Preheader);
    }

    [Fact]
    public void RawHtmlThatSanitisesToNothingLeavesNoBlock()
    {
        var body = Body("# T\n\nBefore.\n\n<script>alert(1)</script>\n\nAfter.\n");

        Assert.Equal(["Before.", "After."], body.Intro.Select(b => b.Text));
    }

    [Theory]
    [InlineData("→ Note: worth reading twice.", "worth reading twice.")]
    [InlineData("-> Note: worth reading twice.", "worth reading twice.")]
    [InlineData("→ Note the use of a smaller model.", "the use of a smaller model.")]
    [InlineData("→ **Note:** worth reading twice.", "worth reading twice.")]
    [InlineData("> [!NOTE]\n> worth reading twice.", "worth reading twice.")]
    public void EditorNotesReadWithoutTheirMarker(string markdown, string text)
    {
        var issue = _reader.Parse($"# T\n\n## S\n\n{markdown}\n", "notes.md");

        Assert.Equal(text, IssueBody.Of(issue).BlocksOf(issue.Sections[0])[0].Text);
    }
}
