using Markdig.Syntax;

namespace Newsletter.Content;

/// <summary>A paragraph that holds only an image.</summary>
public sealed record ImageBlock(Block Markdown, string Source, string Alt) : IssueBlock(Markdown);
