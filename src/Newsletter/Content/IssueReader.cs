using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;
using MarkdigCodeBlock = Markdig.Syntax.CodeBlock;
using MarkdigHeading = Markdig.Syntax.HeadingBlock;

namespace Newsletter.Content;

/// <summary>
/// Reads an issue written in Markdown (CommonMark with the GitHub extensions) into an <see cref="Issue"/>.
/// H2 headings start sections; everything before the first one is the intro letter.
/// Stateless and thread-safe.
/// </summary>
public sealed partial class IssueReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads and parses the file at <paramref name="path"/>.</summary>
    /// <exception cref="IssueFormatException">The file cannot be read, is not UTF-8 text, or its content is not a valid issue.</exception>
    public async Task<Issue> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IssueFormatException(path, 0, "cannot read the issue: " + e.Message, e);
        }

        return Parse(Decode(bytes, path), path);
    }

    /// <summary>Parses issue Markdown; <paramref name="file"/> only names the source in error messages.</summary>
    /// <exception cref="IssueFormatException">Malformed metadata, or no title anywhere.</exception>
    public Issue Parse(string markdown, string file)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        // PostgreSQL cannot store text with NUL, and no editor writes one into prose.
        var nul = Array.FindIndex(lines, l => l.Contains('\0'));
        if (nul >= 0)
        {
            throw new IssueFormatException(file, nul + 1, "the line contains a NUL character: the file is binary, or UTF-16 without a byte order mark");
        }

        // Only a string built in code can hold half a surrogate pair (files are decoded first), and the
        // YAML scanner and slugs throw on one.
        var broken = Array.FindIndex(lines, HasLoneSurrogate);
        if (broken >= 0)
        {
            throw new IssueFormatException(file, broken + 1, "the line contains half of a UTF-16 surrogate pair: it is not text");
        }

        var metadata = IssueMetadata.Read(lines, file);
        var body = string.Join('\n', lines.Skip(metadata.LineCount));
        MarkdownDocument document;
        try
        {
            document = Markdown.Parse(body, IssueMarkdown.Pipeline);
        }
        catch (ArgumentException e)
        {
            // Markdig refuses documents nested deeper than its limit rather than run out of stack.
            throw new IssueFormatException(file, 0,
                $"the Markdown nests quotes, lists, links or emphasis more than {IssueMarkdown.Pipeline.MaximumNestingDepth} levels deep", e);
        }
        CheckMergeTokens(lines, metadata.LineCount, body, document, file);
        var builder = new IssueBodyBuilder();

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
        return new Issue
        {
            Title = title,
            Date = date,
            Slug = metadata.Slug is { } slug ? TextSlug.From(slug) : DerivedSlug(date, title),
            Subject = metadata.Subject ?? title,
            Preheader = metadata.Preheader,
            Author = metadata.Author,
            SignOff = metadata.SignOff,
            Intro = builder.Intro,
            Sections = sections,
            Links = Appendix(builder.Links, sections),
        };
    }

    /// <summary>
    /// An issue file's text. A byte order mark says UTF-16 or UTF-32; without one the file must be UTF-8: a
    /// Latin-1 file read leniently would go out to every subscriber with '\uFFFD' in place of its accented letters.
    /// </summary>
    /// <exception cref="IssueFormatException">The bytes are not UTF-8 text; the message gives the line and offset.</exception>
    public static string Decode(byte[] bytes, string file)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), StrictUtf8, detectEncodingFromByteOrderMarks: true);
        try
        {
            return reader.ReadToEnd();
        }
        catch (DecoderFallbackException e)
        {
            var at = FirstInvalidUtf8(bytes);
            throw new IssueFormatException(file, bytes.AsSpan(0, at).Count((byte)'\n') + 1,
                $"the file is not UTF-8 text (byte 0x{bytes[at]:X2} at offset {at}): save it as UTF-8", e);
        }
    }

    /// <summary>
    /// Refuses a <c>{{token}}</c> the renderer would not fill, with its line; code (blocks and spans) may
    /// show template syntax, so it is not looked at there.
    /// </summary>
    private static void CheckMergeTokens(string[] lines, int metadataLines, string body, MarkdownDocument document, string file)
    {
        var code = new HashSet<int>();
        foreach (var block in document.Descendants<MarkdigCodeBlock>().Where(b => b.Span.Start >= 0))
        {
            var first = body.AsSpan(0, block.Span.Start).Count('\n');
            var last = body.AsSpan(0, Math.Min(block.Span.End, body.Length)).Count('\n');
            for (var line = first; line <= last; line++)
            {
                code.Add(metadataLines + line);
            }
        }

        for (var i = 0; i < lines.Length; i++)
        {
            if (code.Contains(i) || !lines[i].Contains("{{", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (Match token in MergeTokenNames.Token().Matches(CodeSpan().Replace(lines[i], "")))
            {
                if (!MergeTokenNames.All.Contains(token.Groups["field"].Value))
                {
                    throw new IssueFormatException(file, i + 1,
                        $"unknown merge token '{token.Value}': the tokens are {string.Join(", ", MergeTokenNames.All.Select(n => "{{" + n + "}}"))}");
                }
            }
        }
    }

    private static bool HasLoneSurrogate(string line)
    {
        for (var i = 0; i < line.Length; i++)
        {
            if (char.IsHighSurrogate(line[i]) && i + 1 < line.Length && char.IsLowSurrogate(line[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(line[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var at = 0;
        while (at < bytes.Length && Rune.DecodeFromUtf8(bytes[at..], out _, out var length) == OperationStatus.Done)
        {
            at += length;
        }

        return Math.Min(at, bytes.Length - 1);
    }

    private static string DerivedSlug(DateOnly? date, string title) =>
        date is { } d ? $"{d:yyyy-MM-dd}-{TextSlug.From(title, 60)}" : TextSlug.From(title);

    /// <summary>First occurrence of each URL, in order; a section's content link is named after the section.</summary>
    private static List<IssueLink> Appendix(IReadOnlyList<IssueLink> links, IReadOnlyList<IssueSection> sections)
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

    [GeneratedRegex("(`+).+?\\1")]
    private static partial Regex CodeSpan();
}
