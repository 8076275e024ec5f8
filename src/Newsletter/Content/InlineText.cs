using System.Text;
using Markdig.Extensions.TaskLists;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Newsletter.Content;

/// <summary>
/// Writes Markdown inlines as plain text for the text part: emphasis dropped, links as
/// <c>text (url)</c>, images as <c>[Image: alt]</c>. Collects the links it meets, in order.
/// </summary>
internal sealed class InlineText(List<IssueLink> links)
{
    public string Write(ContainerInline? inlines)
    {
        var builder = new StringBuilder();
        Append(builder, inlines);
        return builder.ToString().Trim();
    }

    public string Write(LeafBlock block) => Write(block.Inline);

    /// <summary>The words of a link or image label, without any URL.</summary>
    public static string Label(ContainerInline container)
    {
        var builder = new StringBuilder();
        new InlineText([]).AppendLabel(builder, container);
        return builder.ToString().Trim();
    }

    private void Append(StringBuilder builder, ContainerInline? container)
    {
        if (container is null)
        {
            return;
        }

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
                case LineBreakInline lineBreak:
                    builder.Append(lineBreak.IsHard ? "\n" : " ");
                    break;
                case HtmlEntityInline entity:
                    builder.Append(entity.Transcoded.AsSpan());
                    break;
                case TaskList task:
                    builder.Append(task.Checked ? "[x] " : "[ ] ");
                    break;
                case AutolinkInline autolink:
                    var target = autolink.IsEmail ? "mailto:" + autolink.Url : autolink.Url;
                    Record(autolink.Url, target);
                    builder.Append(autolink.Url);
                    break;
                case LinkInline { IsImage: true } image:
                    var alt = Label(image);
                    builder.Append("[Image").Append(alt.Length > 0 ? ": " + alt : "").Append(']');
                    break;
                case LinkInline link:
                    var text = Label(link);
                    var url = link.GetDynamicUrl?.Invoke() ?? link.Url ?? "";
                    if (!ContentSanitizer.IsSafeUrl(url))
                    {
                        // The HTML part drops the unsafe href; the text keeps only the words.
                        builder.Append(text);
                        break;
                    }

                    Record(text, url);
                    builder.Append(text == url || text.Length == 0 ? url : $"{text} ({url})");
                    break;
                case ContainerInline nested:
                    Append(builder, nested);
                    break;
            }
        }
    }

    private void AppendLabel(StringBuilder builder, ContainerInline container)
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
                case LineBreakInline:
                    builder.Append(' ');
                    break;
                case ContainerInline nested:
                    AppendLabel(builder, nested);
                    break;
            }
        }
    }

    private void Record(string text, string url)
    {
        if (ContentSanitizer.IsSafeUrl(url))
        {
            links.Add(new IssueLink(text.Length == 0 ? url : text, url));
        }
    }
}
