using System.Net;
using System.Text;
using Markdig.Renderers;
using Markdig.Syntax;
using Newsletter.Content;

namespace Newsletter.Rendering;

/// <summary>
/// Writes issue blocks as sanitised HTML for the email template. Quotes and alert notes give their inner
/// blocks (the template draws the frame); code is encoded text (the template adds <c>pre</c>).
/// One instance per render: it reuses a Markdig renderer, so it is not thread-safe.
/// </summary>
internal sealed class IssueBlockHtml
{
    private readonly StringWriter _writer = new();
    private readonly HtmlRenderer _renderer;

    public IssueBlockHtml()
    {
        _renderer = new HtmlRenderer(_writer);
        IssueMarkdown.Pipeline.Setup(_renderer);
    }

    public string Write(IssueBlock block) => block switch
    {
        Content.CodeBlock code => WebUtility.HtmlEncode(code.Code),
        Content.QuoteBlock or NoteBlock when block.Markdown is ContainerBlock container => Children(container),
        _ => Write(block.Markdown),
    };

    /// <summary>One Markdig block as sanitised HTML, trimmed.</summary>
    public string Write(Block block)
    {
        _writer.GetStringBuilder().Clear();
        _renderer.Render(block);
        _writer.Flush();
        return ContentSanitizer.Sanitize(_writer.ToString()).Trim();
    }

    private string Children(ContainerBlock container)
    {
        var builder = new StringBuilder();
        foreach (var child in container)
        {
            builder.Append(Write(child));
        }

        return builder.ToString();
    }
}
