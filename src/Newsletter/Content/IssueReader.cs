using System.Text;
using Markdig;
using Markdig.Extensions.Alerts;
using Markdig.Extensions.Tables;
using Markdig.Renderers;
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
/// Reads an issue written in Markdown (CommonMark with the GitHub extensions) into an <see cref="Issue"/>.
/// H2 headings start sections; everything before the first one is the intro letter.
/// Stateless and thread-safe.
/// </summary>
public sealed class IssueReader
{
    private const int WordsPerMinute = 230;
    private const int PreheaderLength = 140;

    // Longest first: "→ Note the use of…" (no colon) is a note too, and reads fine as "Note: the use of…".
    private static readonly string[] NoteMarkers = ["→ Note:", "-> Note:", "→ Note ", "-> Note "];

    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    /// <summary>Reads and parses the file at <paramref name="path"/>.</summary>
    /// <exception cref="IssueFormatException">The file cannot be read, or its content is not a valid issue.</exception>
    public async Task<Issue> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string markdown;
        try
        {
            markdown = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IssueFormatException(path, 0, "cannot read the issue: " + e.Message, e);
        }

        return Parse(markdown, path);
    }

    /// <summary>Parses issue Markdown; <paramref name="file"/> only names the source in error messages.</summary>
    /// <exception cref="IssueFormatException">Malformed metadata, or no title anywhere.</exception>
    public Issue Parse(string markdown, string file)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var metadata = IssueMetadata.Read(lines, file);
        var body = string.Join('\n', lines.Skip(metadata.LineCount));
        var document = Markdown.Parse(body, _pipeline);

        var links = new List<IssueLink>();
        var builder = new Builder(_pipeline, links);

        // The first H1 is the title: taken out of the body when it opens the document or names the issue.
        var h1 = document.Descendants<MarkdigHeading>().FirstOrDefault(h => h.Level == 1);
        if (h1 is not null && metadata.Title is not null && document.FirstOrDefault(b => b is not LinkReferenceDefinitionGroup) != h1)
        {
            h1 = null;
        }

        var title = metadata.Title ?? (h1 is null ? null : InlineText.Label(h1.Inline!));
        if (string.IsNullOrWhiteSpace(title))
        {
            throw new IssueFormatException(file, 1, "the issue has no title: add 'title:' to the front matter or start with a '# Heading'");
        }

        foreach (var block in document)
        {
            if (block != h1)
            {
                builder.Add(block);
            }
        }

        var sections = builder.Sections();
        var date = metadata.ParseDate(file);
        var intro = builder.Intro;
        return new Issue
        {
            Title = title,
            Date = date,
            Slug = metadata.Slug is { } slug ? TextSlug.From(slug) : DerivedSlug(date, title),
            Subject = metadata.Subject ?? title,
            Preheader = metadata.Preheader ?? DerivedPreheader(intro, title),
            Author = metadata.Author,
            SignOff = metadata.SignOff,
            Intro = intro,
            Sections = sections,
            Links = Appendix(links, sections),
            ReadingMinutes = ReadingMinutes(title, intro, sections, metadata.SignOff),
        };
    }

    private static string DerivedSlug(DateOnly? date, string title) =>
        date is { } d ? $"{d:yyyy-MM-dd}-{TextSlug.From(title, 60)}" : TextSlug.From(title);

    private static string DerivedPreheader(IReadOnlyList<IssueBlock> intro, string title)
    {
        // A short opening line ending in a comma ("Hi {{name}},") is a greeting, not a summary.
        var text = string.Join(' ', intro.OfType<ParagraphBlock>()
            .SkipWhile(p => p.Text.Length < 60 && p.Text.TrimEnd().EndsWith(','))
            .Select(p => p.Text));
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

    /// <summary>First occurrence of each URL, in order; a section's content link is named after the section.</summary>
    private static List<IssueLink> Appendix(List<IssueLink> links, IReadOnlyList<IssueSection> sections)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var section in sections)
        {
            if (section.ContentLink is { } link)
            {
                names.TryAdd(link.Url, section.Title);
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        return links.Where(l => seen.Add(l.Url))
            .Select(l => names.TryGetValue(l.Url, out var name) ? l with { Text = name } : l)
            .ToList();
    }

    private static int ReadingMinutes(string title, IReadOnlyList<IssueBlock> intro, IReadOnlyList<IssueSection> sections, IReadOnlyList<string> signOff)
    {
        var words = CountWords(title) + intro.Sum(b => CountWords(b.Text)) + signOff.Sum(CountWords)
            + sections.Sum(s => CountWords(s.Title) + s.Blocks.Sum(b => CountWords(b.Text)));
        return Math.Max(1, (int)Math.Ceiling(words / (double)WordsPerMinute));
    }

    private static int CountWords(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>Per-parse state: the open section, the anchors handed out, the renderer.</summary>
    private sealed class Builder
    {
        private readonly InlineText _text;
        private readonly StringWriter _writer = new();
        private readonly HtmlRenderer _renderer;
        private readonly HashSet<string> _anchors = new(StringComparer.Ordinal);
        private readonly List<SectionDraft> _sections = [];
        private readonly List<IssueLink> _links;
        private bool _skipping;

        public Builder(MarkdownPipeline pipeline, List<IssueLink> links)
        {
            _links = links;
            _text = new InlineText(links);
            _renderer = new HtmlRenderer(_writer);
            pipeline.Setup(_renderer);
        }

        public List<IssueBlock> Intro { get; } = [];

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
                _text.Write(paragraph);
                _sections[^1].LinkOnly = new IssueLink(InlineText.Label(link), link.Url!);
                return;
            }

            if (Convert(block) is { } converted)
            {
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
            _text.Write(heading);
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
                    return new NoteBlock(RenderChildren(alert), ChildrenText(alert));
                case MarkdigQuote quote:
                    return new QuoteBlock(RenderChildren(quote), ChildrenText(quote));
                case MarkdigList list:
                    return new ListBlock(Render(list), ListText(list, 0), list.IsOrdered, list.Count);
                case FencedCodeBlock fenced:
                    var code = CodeText(fenced);
                    return new CodeBlock(System.Net.WebUtility.HtmlEncode(code), code, string.IsNullOrEmpty(fenced.Info) ? null : fenced.Info);
                case Markdig.Syntax.CodeBlock indented:
                    var plain = CodeText(indented);
                    return new CodeBlock(System.Net.WebUtility.HtmlEncode(plain), plain, null);
                case MarkdigHeading heading:
                    var anchor = Anchor(InlineText.Label(heading.Inline!));
                    heading.GetAttributes().Id = anchor;
                    return new HeadingBlock(Render(heading), _text.Write(heading), Math.Max(3, heading.Level), anchor);
                case Table table:
                    return new TableBlock(Render(table), TableText(table));
                case MarkdigHtml:
                    var html = Render(block);
                    var text = ContentSanitizer.TextOf(html);
                    return html.Trim().Length == 0 ? null : new HtmlBlock(html, text);
                default:
                    return null;
            }
        }

        private IssueBlock ConvertParagraph(MarkdigParagraph paragraph)
        {
            if (StripNoteMarker(paragraph))
            {
                return new NoteBlock(Render(paragraph), _text.Write(paragraph));
            }

            var meaningful = paragraph.Inline!.Where(i => i is not LiteralInline l || !l.Content.IsEmptyOrWhitespace()).ToList();
            if (meaningful is [LinkInline { IsImage: true } image])
            {
                var alt = InlineText.Label(image);
                var source = image.Url ?? "";
                var text = _text.Write(paragraph);
                return ContentSanitizer.IsSafeUrl(source)
                    ? new ImageBlock(Render(paragraph), text, source, alt)
                    : new ParagraphBlock(Render(paragraph), text);
            }

            return new ParagraphBlock(Render(paragraph), _text.Write(paragraph));
        }

        /// <summary>Removes a leading "→ Note:" from the paragraph; true when it had one.</summary>
        private static bool StripNoteMarker(MarkdigParagraph paragraph)
        {
            if (paragraph.Inline?.FirstChild is not LiteralInline first)
            {
                return false;
            }

            var content = first.Content.ToString();
            foreach (var marker in NoteMarkers)
            {
                if (content.StartsWith(marker, StringComparison.OrdinalIgnoreCase))
                {
                    first.Content = new Markdig.Helpers.StringSlice(content[marker.Length..].TrimStart());
                    return true;
                }
            }

            // "→ **Note:** …" parses as an arrow literal followed by an emphasis.
            if (content.TrimEnd() is "→" or "->" && first.NextSibling is EmphasisInline emphasis
                && InlineText.Label(emphasis).Equals("Note:", StringComparison.OrdinalIgnoreCase))
            {
                emphasis.Remove();
                first.Content = new Markdig.Helpers.StringSlice("");
                if (first.NextSibling is LiteralInline rest)
                {
                    rest.Content = new Markdig.Helpers.StringSlice(rest.Content.ToString().TrimStart());
                }

                return true;
            }

            return false;
        }

        private static LinkInline? OnlyLink(MarkdigParagraph paragraph)
        {
            var meaningful = paragraph.Inline!.Where(i => i is not LiteralInline l || !l.Content.IsEmptyOrWhitespace()).ToList();
            return meaningful is [LinkInline { IsImage: false } link] && ContentSanitizer.IsSafeUrl(link.Url ?? "") ? link : null;
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

        private string Render(Block block)
        {
            _writer.GetStringBuilder().Clear();
            _renderer.Render(block);
            _writer.Flush();
            return ContentSanitizer.Sanitize(_writer.ToString()).Trim();
        }

        private string RenderChildren(ContainerBlock container)
        {
            var builder = new StringBuilder();
            foreach (var child in container)
            {
                builder.Append(Render(child));
            }

            return builder.ToString();
        }

        private string ChildrenText(ContainerBlock container) =>
            string.Join("\n\n", container.Select(BlockText).Where(t => t.Length > 0));

        private string BlockText(Block block) => block switch
        {
            LeafBlock { Inline: not null } leaf => _text.Write(leaf),
            MarkdigList list => ListText(list, 0),
            Markdig.Syntax.CodeBlock code => CodeText(code),
            Table table => TableText(table),
            MarkdigHtml html => ContentSanitizer.TextOf(Render(html)),
            ContainerBlock container => ChildrenText(container),
            _ => "",
        };

        private string ListText(MarkdigList list, int depth)
        {
            var builder = new StringBuilder();
            var number = int.TryParse(list.OrderedStart, out var start) ? start : 1;
            var indent = new string(' ', depth * 3);
            foreach (var item in list.OfType<ListItemBlock>())
            {
                var marker = list.IsOrdered ? $"{number++}. " : "- ";
                var first = true;
                foreach (var child in item)
                {
                    var text = child is MarkdigList nested ? ListText(nested, depth + 1) : BlockText(child);
                    if (text.Length == 0)
                    {
                        continue;
                    }

                    if (builder.Length > 0)
                    {
                        builder.Append('\n');
                    }

                    builder.Append(child is MarkdigList ? text : indent + (first ? marker : "   ") + text);
                    first = false;
                }
            }

            return builder.ToString();
        }

        private string TableText(Table table) =>
            string.Join('\n', table.OfType<TableRow>().Select(row =>
                string.Join(" | ", row.OfType<TableCell>().Select(ChildrenText))));

        private static string CodeText(Markdig.Syntax.CodeBlock code) => code.Lines.ToString().TrimEnd();

        /// <summary>A section while its blocks are being collected.</summary>
        /// <param name="FirstLink">Index in the link list of the section's first link.</param>
        private sealed record SectionDraft(string Title, string Anchor, int FirstLink)
        {
            public IssueLink? HeadingLink { get; init; }

            public IssueLink? LinkOnly { get; set; }

            public List<IssueBlock> Blocks { get; } = [];
        }
    }
}
