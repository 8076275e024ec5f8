namespace Newsletter.Content;

/// <summary>Raw HTML the author wrote in the Markdown, after sanitising.</summary>
public sealed record HtmlBlock(string Html, string Text) : IssueBlock(Html, Text);
