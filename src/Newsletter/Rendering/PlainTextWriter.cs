using System.Text;

namespace Newsletter.Rendering;

/// <summary>
/// Writes the plain-text part line by line: paragraphs wrapped at 72 columns without breaking words
/// (so URLs stay clickable), headings underlined, quotes prefixed with <c>&gt;</c>.
/// </summary>
internal sealed class PlainTextWriter
{
    public const int Width = 72;

    private readonly StringBuilder _builder = new();

    public PlainTextWriter Title(string text) => Underlined(text, '=');

    public PlainTextWriter Heading(string text) => Underlined(text, '-');

    public PlainTextWriter Rule()
    {
        _builder.Append('-', Width).Append("\n\n");
        return this;
    }

    public PlainTextWriter Paragraph(string text, string prefix = "")
    {
        foreach (var line in text.Split('\n'))
        {
            Wrap(line, prefix);
        }

        _builder.Append('\n');
        return this;
    }

    /// <summary>Text that is already laid out (lists, code, tables): written as is, each line prefixed.</summary>
    public PlainTextWriter Verbatim(string text, string prefix = "")
    {
        foreach (var line in text.Split('\n'))
        {
            _builder.Append(prefix).Append(line.TrimEnd()).Append('\n');
        }

        _builder.Append('\n');
        return this;
    }

    public PlainTextWriter Line(string text = "")
    {
        _builder.Append(text).Append('\n');
        return this;
    }

    public override string ToString() => _builder.ToString().TrimEnd() + "\n";

    private PlainTextWriter Underlined(string text, char underline)
    {
        _builder.Append(text).Append('\n').Append(underline, Math.Min(Width, text.Length)).Append("\n\n");
        return this;
    }

    private void Wrap(string line, string prefix)
    {
        var column = 0;
        _builder.Append(prefix);
        foreach (var word in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (column > 0 && prefix.Length + column + 1 + word.Length > Width)
            {
                _builder.Append('\n').Append(prefix);
                column = 0;
            }
            else if (column > 0)
            {
                _builder.Append(' ');
                column++;
            }

            _builder.Append(word);
            column += word.Length;
        }

        _builder.Append('\n');
    }
}
