using Newsletter.Content;

namespace Newsletter.Rendering;

/// <summary>Model of <c>templates/email/Issue.cshtml</c>.</summary>
public sealed class IssueEmailModel : EmailModel
{
    public required Issue Issue { get; init; }

    /// <summary>The issue's blocks as HTML and text, its reading time and preheader.</summary>
    public required IssueBody Body { get; init; }

    /// <summary>Date, author and reading time, as one line under the title.</summary>
    public string Byline => PlainTextRenderer.Byline(Issue, Body.ReadingMinutes);
}
