namespace Newsletter.Content;

/// <summary>A fenced or indented code block; <see cref="IssueBlock.Html"/> is the encoded code.</summary>
public sealed record CodeBlock(string Html, string Text, string? Language) : IssueBlock(Html, Text);
