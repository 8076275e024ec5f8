using Newsletter.Content;

namespace Newsletter.Rendering;

/// <summary>Model of <c>templates/email/Issue.cshtml</c>.</summary>
public sealed class IssueEmailModel : EmailModel
{
    public required Issue Issue { get; init; }

    /// <summary>Date, author and reading time, as one line under the title.</summary>
    public string Byline => PlainTextRenderer.Byline(Issue);
}
