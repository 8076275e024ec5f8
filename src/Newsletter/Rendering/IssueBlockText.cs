using System.Text;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Newsletter.Content;
using MarkdigCode = Markdig.Syntax.CodeBlock;
using MarkdigHtml = Markdig.Syntax.HtmlBlock;
using MarkdigList = Markdig.Syntax.ListBlock;

namespace Newsletter.Rendering;

/// <summary>
/// Writes issue blocks as plain text for the text part, from the Markdown tree rather than by stripping
/// tags: inlines as <see cref="InlineText"/> reads them, lists with their markers and indents, table
/// cells joined by <c>|</c>, raw HTML as its readable words.
/// </summary>
internal sealed class IssueBlockText(IssueBlockHtml html)
{
    private const string ListIndent = "   ";

    public string Write(IssueBlock block) => block is Content.CodeBlock code ? code.Code : Write(block.Markdown);

    private string Write(Block block) => block switch
    {
        LeafBlock { Inline: not null } leaf => InlineText.Write(leaf),
        MarkdigList list => List(list, 0),
        MarkdigCode code => code.Lines.ToString().TrimEnd(),
        Table table => string.Join('\n', table.OfType<TableRow>().Select(row =>
            string.Join(" | ", row.OfType<TableCell>().Select(Children)))),
        MarkdigHtml raw => ContentSanitizer.TextOf(html.Write(raw)),
        ContainerBlock container => Children(container),
        _ => "",
    };

    private string Children(ContainerBlock container) =>
        string.Join("\n\n", container.Select(Write).Where(t => t.Length > 0));

    private string List(MarkdigList list, int depth)
    {
        var builder = new StringBuilder();
        var number = int.TryParse(list.OrderedStart, out var start) ? start : 1;
        var indent = string.Concat(Enumerable.Repeat(ListIndent, depth));
        foreach (var item in list.OfType<ListItemBlock>())
        {
            var marker = list.IsOrdered ? $"{number++}. " : "- ";
            var first = true;
            foreach (var child in item)
            {
                var text = child is MarkdigList nested ? List(nested, depth + 1) : Write(child);
                if (text.Length == 0)
                {
                    continue;
                }

                if (builder.Length > 0)
                {
                    builder.Append('\n');
                }

                builder.Append(child is MarkdigList ? text : indent + (first ? marker : ListIndent) + text);
                first = false;
            }
        }

        return builder.ToString();
    }
}
