using Markdig.Extensions.Alerts;
using Markdig.Extensions.Tables;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using MarkdigHeading = Markdig.Syntax.HeadingBlock;
using MarkdigHtml = Markdig.Syntax.HtmlBlock;
using MarkdigList = Markdig.Syntax.ListBlock;
using MarkdigParagraph = Markdig.Syntax.ParagraphBlock;
using MarkdigQuote = Markdig.Syntax.QuoteBlock;

namespace Newsletter.Content;

/// <summary>
/// Per-parse state of <see cref="IssueReader"/>: sorts the document's blocks into the intro and the H2
/// sections, hands out unique anchors and collects the links in reading order.
/// </summary>
internal sealed class IssueBodyBuilder
{
    private readonly HashSet<string> _anchors = new(StringComparer.Ordinal);
    private readonly List<SectionDraft> _sections = [];
    private readonly List<IssueLink> _links = [];
    private bool _skipping;

    public List<IssueBlock> Intro { get; } = [];

    /// <summary>Every safe link met so far, repeats included, in reading order.</summary>
    public IReadOnlyList<IssueLink> Links => _links;

    public void Add(Block block)
    {
        if (block is MarkdigHeading { Level: 2 } heading)
        {
            StartSection(heading);
            return;
        }

        if (_skipping || block is LinkReferenceDefinitionGroup or ThematicBreakBlock or BlankLineBlock)
        {
            return;
        }

        var target = _sections.Count == 0 ? Intro : _sections[^1].Blocks;
        if (block is MarkdigParagraph paragraph && _sections.Count > 0 && _sections[^1].LinkOnly is null
            && OnlyLink(paragraph) is { } link)
        {
            CollectLinks(paragraph);
            _sections[^1].LinkOnly = new IssueLink(InlineText.Label(link), link.Url!);
            return;
        }

        if (Convert(block) is { } converted)
        {
            CollectLinks(block);
            target.Add(converted);
        }
    }

    public IReadOnlyList<IssueSection> Sections()
    {
        var result = new List<IssueSection>(_sections.Count);
        for (var i = 0; i < _sections.Count; i++)
        {
            var s = _sections[i];
            var end = i + 1 < _sections.Count ? _sections[i + 1].FirstLink : _links.Count;
            var firstLink = s.FirstLink < end ? _links[s.FirstLink] : null;
            result.Add(new IssueSection(s.Title, s.Anchor, s.LinkOnly ?? s.HeadingLink ?? firstLink, s.Blocks));
        }

        return result;
    }

    private void StartSection(MarkdigHeading heading)
    {
        var title = InlineText.Label(heading.Inline!);
        // The appendix of links is derived; an author-written one would repeat it.
        _skipping = IsLinksAppendix(title);
        if (_skipping)
        {
            return;
        }

        var headingLink = heading.Inline!.Descendants<LinkInline>()
            .FirstOrDefault(l => !l.IsImage && ContentSanitizer.IsSafeUrl(l.Url ?? ""));
        var start = _links.Count;
        CollectLinks(heading);
        _sections.Add(new SectionDraft(title, Anchor(title), start)
        {
            HeadingLink = headingLink is null ? null : new IssueLink(title, headingLink.Url!),
        });
    }

    private static bool IsLinksAppendix(string title) =>
        title.Trim().TrimEnd(':').ToLowerInvariant() is "all links" or "all content links";

    private IssueBlock? Convert(Block block)
    {
        switch (block)
        {
            case MarkdigParagraph paragraph:
                return ConvertParagraph(paragraph);
            case AlertBlock alert when alert.Kind.ToString().Equals("NOTE", StringComparison.OrdinalIgnoreCase):
                return new NoteBlock(alert);
            case MarkdigQuote quote:
                return new QuoteBlock(quote);
            case MarkdigList list:
                return new ListBlock(list, list.IsOrdered, list.Count);
            case Markdig.Syntax.CodeBlock code:
                var info = (code as FencedCodeBlock)?.Info;
                return new CodeBlock(code, code.Lines.ToString().TrimEnd(), string.IsNullOrEmpty(info) ? null : info);
            case MarkdigHeading heading:
                var anchor = Anchor(InlineText.Label(heading.Inline!));
                heading.GetAttributes().Id = anchor;
                return new HeadingBlock(heading, Math.Max(3, heading.Level), anchor);
            case Table table:
                return new TableBlock(table);
            case MarkdigHtml html:
                return new HtmlBlock(html);
            default:
                return null;
        }
    }

    private static IssueBlock ConvertParagraph(MarkdigParagraph paragraph)
    {
        if (NoteMarker.Strip(paragraph))
        {
            return new NoteBlock(paragraph);
        }

        return Meaningful(paragraph) is [LinkInline { IsImage: true } image] && image.Url is { } source && ContentSanitizer.IsSafeUrl(source)
            ? new ImageBlock(paragraph, source, InlineText.Label(image))
            : new ParagraphBlock(paragraph);
    }

    private static LinkInline? OnlyLink(MarkdigParagraph paragraph) =>
        Meaningful(paragraph) is [LinkInline { IsImage: false } link] && ContentSanitizer.IsSafeUrl(link.Url ?? "") ? link : null;

    private static List<Inline> Meaningful(MarkdigParagraph paragraph) =>
        paragraph.Inline!.Where(i => i is not LiteralInline l || !l.Content.IsEmptyOrWhitespace()).ToList();

    /// <summary>Adds the links of every paragraph, heading and cell inside <paramref name="block"/>, in reading order.</summary>
    private void CollectLinks(Block block)
    {
        if (block is LeafBlock { Inline: { } inlines })
        {
            InlineText.Write(inlines, _links);
        }
        else if (block is ContainerBlock container)
        {
            foreach (var child in container)
            {
                CollectLinks(child);
            }
        }
    }

    private string Anchor(string title)
    {
        var baseId = TextSlug.From(title, 60);
        var id = baseId;
        for (var n = 2; !_anchors.Add(id); n++)
        {
            id = $"{baseId}-{n}";
        }

        return id;
    }

    /// <summary>A section while its blocks are being collected.</summary>
    /// <param name="FirstLink">Index in the link list of the section's first link.</param>
    private sealed record SectionDraft(string Title, string Anchor, int FirstLink)
    {
        public IssueLink? HeadingLink { get; init; }

        public IssueLink? LinkOnly { get; set; }

        public List<IssueBlock> Blocks { get; } = [];
    }
}
