namespace Newsletter.Issues;

/// <summary>
/// The issue has gone out, so its slug is in every mailed "view in browser" link and the archive feed; a new
/// version must keep it. Nothing was stored.
/// </summary>
public sealed class IssueSlugFixedException(string slug)
    : NewsletterException($"The issue has gone out as '{slug}', and the links already mailed point there: it keeps that slug.")
{
    public string Slug { get; } = slug;
}
