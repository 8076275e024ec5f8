using Markdig.Syntax;

namespace Newsletter.Content;

/// <summary>A GitHub-style table.</summary>
public sealed record TableBlock(Block Markdown) : IssueBlock(Markdown);
