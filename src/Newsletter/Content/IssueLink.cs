namespace Newsletter.Content;

/// <summary>A link as the reader sees it: its text and where it goes.</summary>
public sealed record IssueLink(string Text, string Url);
