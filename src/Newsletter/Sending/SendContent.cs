namespace Newsletter.Sending;

/// <summary>The issue as rendered once for a send, merge tokens still in place.</summary>
public sealed record SendContent
{
    public string Subject { get; init; } = "";
    public string HtmlBody { get; init; } = "";
    public string TextBody { get; init; } = "";
    public string IssueSlug { get; init; } = "";
}
