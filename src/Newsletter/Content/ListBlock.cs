using Markdig.Syntax;

namespace Newsletter.Content;

/// <summary>A bulleted or numbered list (nested lists included).</summary>
public sealed record ListBlock(Block Markdown, bool Ordered, int ItemCount) : IssueBlock(Markdown);
