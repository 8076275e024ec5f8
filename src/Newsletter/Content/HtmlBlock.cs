using Markdig.Syntax;

namespace Newsletter.Content;

/// <summary>Raw HTML the author wrote in the Markdown; sanitised when rendered.</summary>
public sealed record HtmlBlock(Block Markdown) : IssueBlock(Markdown);
