namespace Newsletter.Content;

/// <summary>A bulleted or numbered list (nested lists included in the markup and text).</summary>
public sealed record ListBlock(string Html, string Text, bool Ordered, int ItemCount) : IssueBlock(Html, Text);
