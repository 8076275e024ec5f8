namespace Newsletter.Content;

/// <summary>A quoted passage (a Markdown block quote); the HTML holds the quote's inner blocks.</summary>
public sealed record QuoteBlock(string Html, string Text) : IssueBlock(Html, Text);
