namespace Newsletter.Sending;

/// <summary>One reader's copy of an issue as their mail program shows it: the decoded subject, HTML and text parts.</summary>
public sealed record IssuePreview(string Subject, string Html, string Text);
