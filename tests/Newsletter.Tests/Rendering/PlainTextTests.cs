using Newsletter.Content;

namespace Newsletter.Tests.Rendering;

[Collection(RenderingCollection.Name)]
public sealed class PlainTextTests(RenderingFixture fixture)
{
    private string Text => fixture.Personalized.Text;

    [Fact]
    public void TextPartIsWrittenForReadingWithSectionsSourcesQuotesAndNotes()
    {
        Assert.StartsWith("Test Weekly · 23 November 2026\nRead it in your browser: https://news.example.com/archive/quiet\n", Text);
        Assert.Contains("The Quiet Infrastructure Issue\n==============================\n", Text);
        Assert.Contains("Hi Sam,\n", Text);
        Assert.Contains("In this issue\n-------------\n\n1. Postgres as the Only Database You Need (Almost)\n2. Queues Are Ledgers, Not Pipes\n", Text);
        var number = 1;
        var position = 0;
        foreach (var section in fixture.Sample.Sections)
        {
            var heading = $"\n{number++}. {section.Title}\n";
            var at = Text.IndexOf(heading + new string('-', heading.Length - 2), position, StringComparison.Ordinal);
            Assert.True(at > position, $"section '{section.Title}' missing or out of order");
            position = at;
            Assert.Contains($"Source: {section.ContentLink!.Url}", Text);
        }

        Assert.Contains("> \"Most teams adopt a second data store", Text);
        Assert.Contains("→ Note: I have been guilty of exactly this.", Text);
        Assert.Contains("All links\n---------\n\n1. Postgres as the Only Database You Need (Almost)\n   https://example.com/essays/postgres-almost-everything\n", Text);
        Assert.Contains("— Mara", Text);
        Assert.DoesNotContain("<", Text.Replace("<https", "", StringComparison.Ordinal));
        Assert.DoesNotContain("&amp;", Text);
    }

    [Fact]
    public void FooterHasRawLinksAndThePostalAddress()
    {
        Assert.Contains("Unsubscribe: https://news.example.com/unsubscribe/t0k3n?a=1&b=2\n", Text);
        Assert.Contains("Preferences: https://news.example.com/preferences/t0k3n\n", Text);
        Assert.EndsWith("Test Weekly\n12 Harbour Road, Portsmouth\n", Text);
    }

    [Fact]
    public void LinesAreWrappedWithoutBreakingWordsOrUrls()
    {
        foreach (var line in Text.Split('\n'))
        {
            Assert.True(line.Length <= 72 || line.StartsWith("    ", StringComparison.Ordinal) || !line.Trim().Contains(' ') || line.StartsWith("- ", StringComparison.Ordinal) || line.Contains(" | ", StringComparison.Ordinal),
                $"line too long: {line}");
        }
    }

    [Fact]
    public async Task InlineLinksReadAsTextThenUrl()
    {
        var issue = new IssueReader().Parse("---\ntitle: T\n---\nRead [the notes](https://example.com/n) and **bold** `code`.\n\n![chart](https://example.com/c.png)\n", "t.md");

        var rendered = await fixture.Renderer.RenderIssueAsync(issue);

        Assert.Contains("Read the notes (https://example.com/n) and bold code.", rendered.Text);
        Assert.Contains("[Image: chart] (https://example.com/c.png)", rendered.Text);
    }
}
