using Markdig.Syntax;

namespace Newsletter.Content;

/// <summary>A heading below the section level (H3–H6), kept in place inside its section.</summary>
public sealed record HeadingBlock(Block Markdown, int Level, string AnchorId) : IssueBlock(Markdown);
