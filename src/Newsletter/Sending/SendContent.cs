namespace Newsletter.Sending;

/// <summary>The issue as rendered once for a send, merge tokens still in place.</summary>
public sealed record SendContent(string Subject, string HtmlBody, string TextBody, long[] ListIds, string Status, string IssueSlug);
