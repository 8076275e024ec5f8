using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;

namespace Newsletter.Preflight;

/// <summary>
/// Links as the reader sees them: plain http ones (browsers and filters mark them, and they can be
/// rewritten on the way), and ones whose text is a bare URL (unreadable, and a pattern phishing mail uses).
/// The mail's own links (unsubscribe, preferences, web version) follow <c>Newsletter:PublicUrl</c> and get one line of their own.
/// </summary>
public static partial class LinkCheck
{
    public const string Name = "links";

    public static IEnumerable<PreflightLine> Check(IssueSample sample, string publicUrl)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentException.ThrowIfNullOrEmpty(publicUrl);
        var document = new HtmlParser().ParseDocument(sample.Html);
        var links = document.QuerySelectorAll("a[href]")
            .Select(a => (Href: a.GetAttribute("href")!.Trim(), Text: a.TextContent.Trim()))
            .Where(link => !link.Href.StartsWith('#'))
            .ToList();
        var ownBase = publicUrl.TrimEnd('/') + "/";
        var content = links.Where(link => !link.Href.StartsWith(ownBase, StringComparison.OrdinalIgnoreCase)).ToList();

        if (!publicUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            yield return new PreflightLine(Name, PreflightVerdict.Warn,
                $"Newsletter:PublicUrl is {publicUrl}: the mail's own links (unsubscribe, preferences, web version) are not https");

        var plain = content.Where(link => link.Href.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            .Select(link => link.Href).Distinct().ToList();
        if (plain.Count > 0)
            yield return new PreflightLine(Name, PreflightVerdict.Warn,
                $"{Count(plain.Count, "link")} not https; link to the https address where the site has one", string.Join('\n', plain));

        var bare = links.Where(link => BareUrl().IsMatch(link.Text)).Select(link => link.Text).Distinct().ToList();
        if (bare.Count > 0)
            yield return new PreflightLine(Name, PreflightVerdict.Warn,
                $"{Count(bare.Count, "link")} show a bare URL as text; give each words that say where it goes", string.Join('\n', bare));

        if (plain.Count == 0 && bare.Count == 0)
            yield return new PreflightLine(Name, PreflightVerdict.Pass, content.Count == 0
                ? "no links in the issue"
                : $"{Count(content.Count, "link")} in the issue, all https, each with words for text");
    }

    private static string Count(int count, string noun) => $"{count} {noun}{(count == 1 ? "" : "s")}";

    [GeneratedRegex(@"^(https?://|www\.)\S+$", RegexOptions.IgnoreCase)]
    private static partial Regex BareUrl();
}
