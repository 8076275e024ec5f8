using Markdig.Syntax;

namespace Newsletter.Content;

/// <summary>A fenced or indented code block; <see cref="Code"/> is its text as written.</summary>
public sealed record CodeBlock(Block Markdown, string Code, string? Language) : IssueBlock(Markdown);
