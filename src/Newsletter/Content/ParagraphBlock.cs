namespace Newsletter.Content;

/// <summary>An ordinary paragraph.</summary>
public sealed record ParagraphBlock(string Html, string Text) : IssueBlock(Html, Text);
