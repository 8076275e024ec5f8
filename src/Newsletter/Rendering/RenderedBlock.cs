using Newsletter.Content;

namespace Newsletter.Rendering;

/// <summary>An issue block as the email shows it: sanitised <see cref="Html"/> and the text part's <see cref="Text"/>.</summary>
public sealed record RenderedBlock(IssueBlock Block, string Html, string Text);
