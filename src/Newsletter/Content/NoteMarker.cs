using Markdig.Helpers;
using Markdig.Syntax.Inlines;

namespace Newsletter.Content;

/// <summary>Recognises the editor's "→ Note:" at the start of a paragraph.</summary>
internal static class NoteMarker
{
    // Longest first: "→ Note the use of…" (no colon) is a note too, and reads fine as "Note: the use of…".
    private static readonly string[] Markers = ["→ Note:", "-> Note:", "→ Note ", "-> Note "];

    /// <summary>Removes a leading "→ Note:" from the paragraph; true when it had one.</summary>
    public static bool Strip(Markdig.Syntax.ParagraphBlock paragraph)
    {
        if (paragraph.Inline?.FirstChild is not LiteralInline first)
        {
            return false;
        }

        var content = first.Content.ToString();
        foreach (var marker in Markers)
        {
            if (content.StartsWith(marker, StringComparison.OrdinalIgnoreCase))
            {
                first.Content = new StringSlice(content[marker.Length..].TrimStart());
                return true;
            }
        }

        // "→ **Note:** …" parses as an arrow literal followed by an emphasis.
        if (content.TrimEnd() is "→" or "->" && first.NextSibling is EmphasisInline emphasis
            && InlineText.Label(emphasis).Equals("Note:", StringComparison.OrdinalIgnoreCase))
        {
            emphasis.Remove();
            first.Content = new StringSlice("");
            if (first.NextSibling is LiteralInline rest)
            {
                rest.Content = new StringSlice(rest.Content.ToString().TrimStart());
            }

            return true;
        }

        return false;
    }
}
