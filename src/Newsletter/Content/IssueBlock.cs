using Markdig.Syntax;

namespace Newsletter.Content;

/// <summary>
/// One block of an issue's body: what kind of block it is, with the parsed Markdown it came from
/// (<see cref="Markdown"/>, notes already without their marker, headings carrying their anchor id).
/// Rendering turns it into HTML and plain text.
/// </summary>
public abstract record IssueBlock(Block Markdown);
