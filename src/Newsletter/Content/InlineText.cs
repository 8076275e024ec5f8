using System.Text;
using Markdig.Extensions.TaskLists;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Newsletter.Content;

/// <summary>
/// Reads Markdown inlines as plain text, in one of two forms: a label (the words only, for titles and
/// link text) or reading text (links as <c>text (url)</c>, images as <c>[Image: alt]</c>), which also
/// collects the links it meets, in order.
/// </summary>
internal static class InlineText
{
    /// <summary>The words of a heading, link or image label, without any URL.</summary>
    public static string Label(ContainerInline container) => Read(container, label: true, links: null);

    /// <summary>The inlines as the plain-text part reads them; safe links are added to <paramref name="links"/>.</summary>
    public static string Write(ContainerInline? inlines, List<IssueLink>? links = null) =>
        inlines is null ? "" : Read(inlines, label: false, links);

    public static string Write(LeafBlock block, List<IssueLink>? links = null) => Write(block.Inline, links);

    private static string Read(ContainerInline container, bool label, List<IssueLink>? links)
    {
        var builder = new StringBuilder();
        Append(builder, container, label, links);
        return builder.ToString().Trim();
    }

    private static void Append(StringBuilder builder, ContainerInline container, bool label, List<IssueLink>? links)
    {
        foreach (var inline in container)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    builder.Append(literal.Content.AsSpan());
                    break;
                case CodeInline code:
                    builder.Append(code.Content);
                    break;
                case HtmlEntityInline entity:
                    builder.Append(entity.Transcoded.AsSpan());
                    break;
                case LineBreakInline lineBreak:
                    builder.Append(lineBreak.IsHard && !label ? "\n" : " ");
                    break;
                // A label keeps the words inside links and images, and nothing of task boxes or bare URLs.
                case TaskList task when !label:
                    builder.Append(task.Checked ? "[x] " : "[ ] ");
                    break;
                case AutolinkInline autolink when !label:
                    Record(links, autolink.Url, autolink.IsEmail ? "mailto:" + autolink.Url : autolink.Url);
                    builder.Append(autolink.Url);
                    break;
                case LinkInline { IsImage: true } image when !label:
                    var alt = Label(image);
                    builder.Append("[Image").Append(alt.Length > 0 ? ": " + alt : "").Append(']');
                    break;
                case LinkInline link when !label:
                    AppendLink(builder, link, links);
                    break;
                case ContainerInline nested:
                    Append(builder, nested, label, links);
                    break;
            }
        }
    }

    private static void AppendLink(StringBuilder builder, LinkInline link, List<IssueLink>? links)
    {
        var text = Label(link);
        var url = link.GetDynamicUrl?.Invoke() ?? link.Url ?? "";
        if (!ContentSanitizer.IsSafeUrl(url))
        {
            // The HTML part drops the unsafe href; the text keeps only the words.
            builder.Append(text);
            return;
        }

        Record(links, text, url);
        builder.Append(text == url || text.Length == 0 ? url : $"{text} ({url})");
    }

    private static void Record(List<IssueLink>? links, string text, string url)
    {
        if (links is not null && ContentSanitizer.IsSafeUrl(url))
        {
            links.Add(new IssueLink(text.Length == 0 ? url : text, url));
        }
    }
}
