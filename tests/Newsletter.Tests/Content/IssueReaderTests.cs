using Markdig.Extensions.Alerts;
using Markdig.Syntax.Inlines;
using Newsletter.Content;
using Newsletter.Tests.Rendering;

namespace Newsletter.Tests.Content;

public sealed class IssueReaderTests
{
    private readonly IssueReader _reader = new();

    private static string[] SampleLines => File.ReadAllLines(RenderingFixture.SamplePath);

    [Fact]
    public async Task SampleIssueHasItsMetadataAndTwelveSectionsInOrder()
    {
        var issue = await _reader.ReadAsync(RenderingFixture.SamplePath);

        Assert.Equal("The Quiet Infrastructure Issue", issue.Title);
        Assert.Equal(new DateOnly(2026, 11, 23), issue.Date);
        Assert.Equal("Mara Lindqvist", issue.Author);
        Assert.StartsWith("Weekly Notes #48", issue.Subject);
        Assert.Equal("2026-11-23-the-quiet-infrastructure-issue", issue.Slug);
        Assert.Equal(3, issue.SignOff.Count);

        var expectedTitles = SampleLines.Where(l => l.StartsWith("## ", StringComparison.Ordinal))
            .Select(l => l[3..]).Where(t => t != "All links").ToList();
        Assert.Equal(12, expectedTitles.Count);
        Assert.Equal(expectedTitles, issue.Sections.Select(s => s.Title));
        Assert.Equal(issue.Sections.Count, issue.Sections.Select(s => s.AnchorId).Distinct().Count());
        Assert.Equal("postgres-as-the-only-database-you-need-almost", issue.Sections[0].AnchorId);
    }

    [Fact]
    public async Task IntroIsTheLetterBeforeTheFirstSection()
    {
        var issue = await _reader.ReadAsync(RenderingFixture.SamplePath);

        Assert.All(issue.Intro, b => Assert.IsType<ParagraphBlock>(b));
        var introLines = SampleLines.SkipWhile(l => !l.StartsWith("Hi ", StringComparison.Ordinal))
            .TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal)).Count(l => l.Length > 0);
        Assert.Equal(introLines, issue.Intro.Count);
    }

    [Fact]
    public async Task EverySampleSectionHasItsContentLinkTakenOutOfTheBlocks()
    {
        var issue = await _reader.ReadAsync(RenderingFixture.SamplePath);

        var linkLines = SampleLines.Where(l => l.StartsWith('[') && l.EndsWith(')')).ToList();
        Assert.Equal(issue.Sections.Count, linkLines.Count);
        for (var i = 0; i < issue.Sections.Count; i++)
        {
            var link = issue.Sections[i].ContentLink;
            Assert.NotNull(link);
            Assert.EndsWith($"({link.Url})", linkLines[i]);
            Assert.DoesNotContain(issue.Sections[i].Blocks, b => Markdig.Syntax.MarkdownObjectExtensions.Descendants<LinkInline>(b.Markdown).Any(l => l.Url == link.Url));
        }
    }

    [Fact]
    public async Task QuotesAndNotesAreCountedAndKeptInReadingOrder()
    {
        var issue = await _reader.ReadAsync(RenderingFixture.SamplePath);
        var blocks = issue.Sections.SelectMany(s => s.Blocks).ToList();

        var quoteLines = SampleLines.Count(l => l.StartsWith("> \"", StringComparison.Ordinal));
        var noteLines = SampleLines.Count(l => l.StartsWith("→ Note:", StringComparison.Ordinal) || l == "> [!NOTE]");
        Assert.Equal(quoteLines, blocks.OfType<QuoteBlock>().Count());
        Assert.Equal(noteLines, blocks.OfType<NoteBlock>().Count());
        Assert.True(quoteLines >= 24 && noteLines >= 13, $"{quoteLines} quotes, {noteLines} notes");

        var first = issue.Sections[0].Blocks;
        Assert.IsType<QuoteBlock>(first[0]);
        Assert.IsType<QuoteBlock>(first[1]);
        Assert.IsType<QuoteBlock>(first[2]);
        Assert.IsType<NoteBlock>(first[3]);
        Assert.IsType<AlertBlock>(issue.Sections[1].Blocks.OfType<NoteBlock>().Last().Markdown);
    }

    [Fact]
    public async Task ListsImagesCodeTablesAndNestedHeadingsBecomeTheirBlocks()
    {
        var issue = await _reader.ReadAsync(RenderingFixture.SamplePath);
        var blocks = issue.Sections.SelectMany(s => s.Blocks).ToList();

        var heading = Assert.Single(blocks.OfType<HeadingBlock>());
        Assert.Equal("what-the-author-would-still-split-out", heading.AnchorId);
        Assert.Equal(3, heading.Level);
        Assert.Contains(blocks.OfType<ListBlock>(), l => !l.Ordered && l.ItemCount == 3);
        Assert.Contains(blocks.OfType<ListBlock>(), l => l.Ordered);
        var image = Assert.Single(blocks.OfType<ImageBlock>());
        Assert.StartsWith("A 600 pixel email column", image.Alt);
        var code = Assert.Single(blocks.OfType<CodeBlock>());
        Assert.Equal("bash", code.Language);
        Assert.Contains("select status, count(*)", code.Code);
        Assert.Single(blocks.OfType<TableBlock>());
    }

    [Fact]
    public async Task AllLinksAppendixIsDeduplicatedInReadingOrderAndNamedAfterSections()
    {
        var issue = await _reader.ReadAsync(RenderingFixture.SamplePath);

        Assert.Equal(issue.Links.Count, issue.Links.Select(l => l.Url).Distinct().Count());
        Assert.Equal(issue.Sections.Select(s => s.ContentLink!.Url), issue.Links.Select(l => l.Url));
        Assert.Equal(issue.Sections.Select(s => s.Title), issue.Links.Select(l => l.Text));
        Assert.DoesNotContain(issue.Sections, s => s.Title == "All links");
    }

    [Fact]
    public void LinksAreCollectedOnceInOrderWithTheirText()
    {
        var issue = _reader.Parse("""
            # Links

            See [the spec](https://a.example/spec), then <https://b.example/> and [the spec again](https://a.example/spec).

            ## One

            Mail [me](mailto:me@example.com) or [run](javascript:alert(1)).
            """, "links.md");

        Assert.Equal(
            [new IssueLink("the spec", "https://a.example/spec"), new IssueLink("https://b.example/", "https://b.example/"), new IssueLink("One", "mailto:me@example.com")],
            issue.Links);
    }

    [Fact]
    public void KeyValueLinesWorkAsMetadata()
    {
        var issue = _reader.Parse("""
            Title: Plain Header Issue
            Date: 2026-02-03
            Author: Kim
            Sign-off: Cheers / Kim

            Hello there, this is the intro and it is long enough to be a preheader on its own merits.

            ## First
            Text.
            """, "plain.md");

        Assert.Equal("Plain Header Issue", issue.Title);
        Assert.Equal(new DateOnly(2026, 2, 3), issue.Date);
        Assert.Equal("Kim", issue.Author);
        Assert.Equal(["Cheers", "Kim"], issue.SignOff);
        Assert.Equal("2026-02-03-plain-header-issue", issue.Slug);
        Assert.Equal("Plain Header Issue", issue.Subject);
        Assert.Null(issue.Preheader);
        Assert.Single(issue.Sections);
    }

    [Fact]
    public void TitleFallsBackToTheFirstHeadingAndIsNotRepeatedInTheBody()
    {
        var issue = _reader.Parse("# From The Heading\n\nUpdate: this first line is prose, not metadata.\n\n## A\nx\n", "h1.md");

        Assert.Equal("From The Heading", issue.Title);
        Assert.Equal("from-the-heading", issue.Slug);
        Assert.IsType<ParagraphBlock>(Assert.Single(issue.Intro));
        Assert.Null(issue.Date);
    }

    [Fact]
    public void MalformedFrontMatterNamesFileAndLine()
    {
        var e = Assert.Throws<IssueFormatException>(() => _reader.Parse("---\ntitle: Fine\ndate: [2026\n---\n\nBody\n", "broken.md"));

        Assert.Equal("broken.md", e.File);
        Assert.True(e.Line == 3, e.Message);
        Assert.StartsWith("broken.md:3: malformed front matter", e.Message);
    }

    [Fact]
    public void UnclosedFrontMatterIsReportedAtItsFirstLine()
    {
        var e = Assert.Throws<IssueFormatException>(() => _reader.Parse("---\ntitle: Never closed\n\nBody\n", "open.md"));

        Assert.StartsWith("open.md:1: front matter starts with '---' but has no closing", e.Message);
    }

    [Fact]
    public void IssueWithoutTitleIsRefusedWithAHint()
    {
        var e = Assert.Throws<IssueFormatException>(() => _reader.Parse("Just some words.\n\n## A section\n", "untitled.md"));

        Assert.Equal("untitled.md:1: the issue has no title: add 'title:' to the front matter or start with a '# Heading'", e.Message);
    }

    [Fact]
    public void InvalidDateNamesItsLine()
    {
        var e = Assert.Throws<IssueFormatException>(() => _reader.Parse("---\ntitle: T\ndate: next tuesday\n---\n", "date.md"));

        Assert.StartsWith("date.md:3: date 'next tuesday' is not a date", e.Message);
    }

    [Fact]
    public async Task MissingFileIsReportedByName()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.md");

        var e = await Assert.ThrowsAsync<IssueFormatException>(() => _reader.ReadAsync(path));

        Assert.StartsWith($"{path}: cannot read the issue:", e.Message);
    }

    [Theory]
    [InlineData("→ Note: worth reading twice.")]
    [InlineData("-> Note: worth reading twice.")]
    [InlineData("→ Note the use of a smaller model.")]
    [InlineData("→ **Note:** worth reading twice.")]
    [InlineData("> [!NOTE]\n> worth reading twice.")]
    public void EditorNotesAreRecognisedInEveryWrittenForm(string markdown)
    {
        var issue = _reader.Parse($"# T\n\n## S\n\n{markdown}\n\n→ Noteworthy is not a note.\n", "notes.md");

        var blocks = issue.Sections[0].Blocks;
        Assert.IsType<NoteBlock>(blocks[0]);
        Assert.IsType<ParagraphBlock>(blocks[1]);
    }

    [Fact]
    public void AHeadingOneInsideTheBodyStaysWhenTheFrontMatterNamesTheIssue()
    {
        var issue = _reader.Parse("---\ntitle: From Front Matter\n---\nIntro.\n\n# Big Inner Heading\n\n## S\nx\n", "h1.md");

        Assert.Equal("From Front Matter", issue.Title);
        Assert.Equal("big-inner-heading", Assert.IsType<HeadingBlock>(issue.Intro[1]).AnchorId);
    }

    [Theory]
    [InlineData("---\ntitle: T\nsubject: \"Hi {{nmae}}\"\n---\n\nText.", 3, "{{nmae}}")]
    [InlineData("# Title\n\nHi {{name|there}},\n\nSee {{ web_url }} and {{unsubscribe}}.", 5, "{{unsubscribe}}")]
    [InlineData("# Title\n\n    indented code {{ok}}\n\n```\n{{fine}}\n```\n\nText with `{{also_fine}}` and {{first_name|you}}.", 9, "{{first_name|you}}")]
    public void UnknownMergeTokenIsRefusedWithItsLine(string markdown, int line, string token)
    {
        var e = Assert.Throws<IssueFormatException>(() => _reader.Parse(markdown, "issue.md"));

        Assert.Equal(line, e.Line);
        Assert.StartsWith($"unknown merge token '{token}': the tokens are {{{{name}}}}, {{{{email}}}}", e.Reason);
    }

    [Fact]
    public void KnownTokensAndTemplateSyntaxInCodeAreAccepted()
    {
        var issue = _reader.Parse(
            "# Title\n\nHi {{ name | friend }}, {{email}} {{unsubscribe_url}} {{preferences_url}} {{web_url}}\n\n" +
            "```jinja\n{{ user }}\n```\n\nInline `{{ title }}` too.", "issue.md");

        Assert.Equal("Title", issue.Title);
    }
}
