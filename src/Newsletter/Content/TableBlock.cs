namespace Newsletter.Content;

/// <summary>A GitHub-style table.</summary>
public sealed record TableBlock(string Html, string Text) : IssueBlock(Html, Text);
