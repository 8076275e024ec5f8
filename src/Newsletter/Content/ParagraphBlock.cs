using Markdig.Syntax;

namespace Newsletter.Content;

/// <summary>An ordinary paragraph.</summary>
public sealed record ParagraphBlock(Block Markdown) : IssueBlock(Markdown);
