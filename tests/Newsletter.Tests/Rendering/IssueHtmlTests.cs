using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Newsletter.Rendering;

namespace Newsletter.Tests.Rendering;

[Collection(RenderingCollection.Name)]
public sealed class IssueHtmlTests(RenderingFixture fixture)
{
    private string Html => fixture.Personalized.Html;

    [Fact]
    public void ContentsLinkToAnAnchorForEverySection()
    {
        foreach (var section in fixture.Sample.Sections)
        {
            Assert.Contains($"href=\"#{section.AnchorId}\"", Html);
            Assert.Contains($"id=\"{section.AnchorId}\"", Html);
        }

        Assert.Contains("In this issue", Html);
    }

    [Fact]
    public void EverySectionTitleQuoteAndNoteIsInTheHtml()
    {
        foreach (var section in fixture.Sample.Sections)
        {
            Assert.Matches($"<h2 id=\"{section.AnchorId}\"[^>]*>{Regex.Escape(WebUtility.HtmlEncode(section.Title).Replace("&#39;", "'"))}</h2>", Html);
            Assert.Contains($"href=\"{section.ContentLink!.Url}\"", Html);
        }

        var quotes = Regex.Matches(Html, "<blockquote class=\"quote\"").Count;
        var notes = Regex.Matches(Html, "<div class=\"note\"").Count;
        Assert.Equal(fixture.Sample.Sections.Sum(s => s.Blocks.Count(b => b is Newsletter.Content.QuoteBlock)), quotes);
        Assert.Equal(fixture.Sample.Sections.Sum(s => s.Blocks.Count(b => b is Newsletter.Content.NoteBlock)), notes);
        Assert.Contains("id=\"all-links\"", Html);
    }

    [Fact]
    public void StylesAreInlinedAndOnlyMediaQueriesStayInAStyleBlock()
    {
        var style = Assert.Single(Regex.Matches(Html, "<style>(.*?)</style>", RegexOptions.Singleline)).Groups[1].Value;
        Assert.Contains("@media screen and (max-width: 600px)", style);
        Assert.Contains("@media (prefers-color-scheme: dark)", style);
        Assert.DoesNotMatch(@"^\s*\.content p \{", style);

        Assert.Matches("<h2 id=\"[^\"]+\" style=\"[^\"]*font-size: 23px", Html);
        Assert.Matches("<blockquote class=\"quote\" style=\"[^\"]*border-left: 3px solid", Html);
        Assert.Matches("<table role=\"presentation\" class=\"container\" width=\"600\"[^>]*style=\"width: 600px;max-width: 600px", Html);
    }

    [Fact]
    public void SampleIsLargeEnoughToBenchmarkAndSmallEnoughForGmail()
    {
        var bytes = Encoding.UTF8.GetByteCount(Html);

        Assert.InRange(bytes, 30 * 1024, 102 * 1024 - 1);
    }

    [Fact]
    public void HtmlFollowsTheEmailChecklist()
    {
        Assert.StartsWith("<!DOCTYPE html>", Html);
        Assert.Contains("<html lang=\"en\"", Html);
        Assert.Contains("<meta charset=\"utf-8\">", Html);
        Assert.Contains("<meta name=\"viewport\"", Html);
        Assert.Contains("<meta name=\"color-scheme\" content=\"light dark\">", Html);
        Assert.Contains($"<title>{fixture.Sample.Subject}</title>", Html);
        Assert.Matches("<body[^>]*>\\s*<div class=\"preheader\" style=\"display: none;[^\"]*\">Boring databases", Html);
        Assert.DoesNotMatch("<table(?![^>]*role=\"presentation\")[^>]*class=\"(outer|container|toc)\"", Html);
        foreach (Match img in Regex.Matches(Html, "<img [^>]*>"))
        {
            Assert.Matches("alt=\"[^\"]+\"", img.Value);
            Assert.Contains("max-width: 100%", img.Value);
        }

        Assert.Contains("12 Harbour Road, Portsmouth", Html);
        Assert.Contains("because you subscribed at https://news.example.com", Html);
        Assert.Contains("href=\"https://news.example.com/unsubscribe/t0k3n?a=1&amp;b=2\"", Html);
        Assert.Contains(">Manage preferences</a>", Html);
        Assert.Equal(2, Regex.Matches(Html, "href=\"https://news.example.com/archive/quiet\"[^>]*>View in browser").Count);
    }

    [Fact]
    public void RenderedIssueKeepsItsTokensUntilPersonalised()
    {
        Assert.Contains(MergeTokens.UnsubscribeUrl, fixture.Rendered.Html);
        Assert.Contains(MergeTokens.PreferencesUrl, fixture.Rendered.Html);
        Assert.Contains(MergeTokens.WebVersionUrl, fixture.Rendered.Html);
        Assert.Contains("{{name|there}}", fixture.Rendered.Html);
        Assert.Contains(MergeTokens.UnsubscribeUrl, fixture.Rendered.Text);

        Assert.DoesNotContain("{{", Html);
        Assert.DoesNotContain("{{", fixture.Personalized.Text);
        Assert.Contains("<p style=\"margin: 0 0 16px 0\">Hi Sam,</p>", Html);
    }
}
