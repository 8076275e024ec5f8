using Ganss.Xss;

namespace Newsletter.Content;

/// <summary>
/// Cleans the HTML rendered from an author's Markdown. Markdig passes raw HTML and any link scheme
/// through untouched, so every block goes through this before it reaches a template.
/// </summary>
internal static class ContentSanitizer
{
    private static readonly HtmlSanitizer Sanitizer = Create();

    /// <summary>Only these schemes survive in links and image sources.</summary>
    public static bool IsSafeUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "mailto";

    public static string Sanitize(string html) => Sanitizer.Sanitize(html);

    /// <summary>The readable text of sanitised raw HTML, for the plain-text part.</summary>
    public static string TextOf(string html)
    {
        var document = Sanitizer.SanitizeDom(html);
        return string.Join(' ', (document.Body?.TextContent ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    private static HtmlSanitizer Create()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.Add("http");
        sanitizer.AllowedSchemes.Add("https");
        sanitizer.AllowedSchemes.Add("mailto");
        sanitizer.AllowedAttributes.Add("id");
        sanitizer.AllowedAttributes.Add("class");
        // srcset carries URLs just like src, so its schemes are checked too.
        sanitizer.UriAttributes.Add("srcset");
        sanitizer.AllowDataAttributes = false;
        // Forms in mail are a phishing tool, and no client submits them safely.
        foreach (var tag in new[] { "form", "input", "button", "textarea", "select", "option", "optgroup", "label", "fieldset", "legend" })
        {
            sanitizer.AllowedTags.Remove(tag);
        }

        return sanitizer;
    }
}
