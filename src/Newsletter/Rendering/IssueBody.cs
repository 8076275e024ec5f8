using System.Runtime.CompilerServices;
using Newsletter.Content;

namespace Newsletter.Rendering;

/// <summary>
/// An issue's blocks rendered for one mail, with what follows from how they read: the reading time and,
/// unless the front matter gives one, a preheader taken from the intro.
/// </summary>
public sealed class IssueBody
{
    private const int WordsPerMinute = 230;
    private const int PreheaderLength = 140;

    // An issue is rendered again for previews and the archive; its blocks read the same every time.
    private static readonly ConditionalWeakTable<Issue, IssueBody> Rendered = new();

    private readonly Dictionary<IssueSection, IReadOnlyList<RenderedBlock>> _sections;

    private IssueBody(IReadOnlyList<RenderedBlock> intro, Dictionary<IssueSection, IReadOnlyList<RenderedBlock>> sections)
    {
        Intro = intro;
        _sections = sections;
    }

    public IReadOnlyList<RenderedBlock> Intro { get; }

    public int ReadingMinutes { get; private init; }

    public string Preheader { get; private init; } = "";

    /// <summary>The issue's body, rendered on first use and kept as long as the issue lives. Thread-safe.</summary>
    public static IssueBody Of(Issue issue)
    {
        ArgumentNullException.ThrowIfNull(issue);
        return Rendered.GetValue(issue, Render);
    }

    /// <summary>The blocks of one of the rendered issue's sections.</summary>
    public IReadOnlyList<RenderedBlock> BlocksOf(IssueSection section) => _sections[section];

    private static IssueBody Render(Issue issue)
    {
        var html = new IssueBlockHtml();
        var text = new IssueBlockText(html);
        // Raw HTML that sanitises to nothing leaves no block behind.
        List<RenderedBlock> Blocks(IReadOnlyList<IssueBlock> blocks) => blocks
            .Select(b => new RenderedBlock(b, html.Write(b), text.Write(b)))
            .Where(b => b.Block is not HtmlBlock || b.Html.Length > 0)
            .ToList();

        var intro = Blocks(issue.Intro);
        var sections = issue.Sections.ToDictionary<IssueSection, IssueSection, IReadOnlyList<RenderedBlock>>(s => s, s => Blocks(s.Blocks), ReferenceEqualityComparer.Instance);
        var words = CountWords(issue.Title) + intro.Sum(b => CountWords(b.Text)) + issue.SignOff.Sum(CountWords)
            + issue.Sections.Sum(s => CountWords(s.Title) + sections[s].Sum(b => CountWords(b.Text)));
        return new IssueBody(intro, sections)
        {
            ReadingMinutes = Math.Max(1, (int)Math.Ceiling(words / (double)WordsPerMinute)),
            Preheader = issue.Preheader ?? DerivedPreheader(intro, issue.Title),
        };
    }

    private static string DerivedPreheader(IReadOnlyList<RenderedBlock> intro, string title)
    {
        // A short opening line ending in a comma ("Hi {{name}},") is a greeting, not a summary.
        var text = string.Join(' ', intro.Where(b => b.Block is ParagraphBlock).Select(b => b.Text)
            .SkipWhile(t => t.Length < 60 && t.TrimEnd().EndsWith(',')));
        text = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (text.Length == 0)
        {
            return title;
        }

        if (text.Length <= PreheaderLength)
        {
            return text;
        }

        var cut = text.LastIndexOf(' ', PreheaderLength);
        return text[..(cut > 0 ? cut : PreheaderLength)].TrimEnd(',', ';', ':', ' ') + "…";
    }

    private static int CountWords(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
}
