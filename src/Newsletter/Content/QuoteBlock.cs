using Markdig.Syntax;

namespace Newsletter.Content;

/// <summary>A quoted passage (a Markdown block quote); its inner blocks are the quote.</summary>
public sealed record QuoteBlock(Block Markdown) : IssueBlock(Markdown);
