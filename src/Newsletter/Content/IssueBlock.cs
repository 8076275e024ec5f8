namespace Newsletter.Content;

/// <summary>
/// One block of an issue's body. <see cref="Html"/> is sanitised markup for the email; <see cref="Text"/>
/// is the same content written for the plain-text part (links as <c>text (url)</c>), built from the
/// Markdown tree rather than by stripping tags.
/// </summary>
public abstract record IssueBlock(string Html, string Text);

/// <summary>An ordinary paragraph.</summary>
public sealed record ParagraphBlock(string Html, string Text) : IssueBlock(Html, Text);

/// <summary>A quoted passage (a Markdown block quote); the HTML holds the quote's inner blocks.</summary>
public sealed record QuoteBlock(string Html, string Text) : IssueBlock(Html, Text);

/// <summary>The editor's commentary: a <c>→ Note:</c> paragraph or a <c>&gt; [!NOTE]</c> alert, without its marker.</summary>
public sealed record NoteBlock(string Html, string Text) : IssueBlock(Html, Text);

/// <summary>A bulleted or numbered list (nested lists included in the markup and text).</summary>
public sealed record ListBlock(string Html, string Text, bool Ordered, int ItemCount) : IssueBlock(Html, Text);

/// <summary>A paragraph that holds only an image.</summary>
public sealed record ImageBlock(string Html, string Text, string Source, string Alt) : IssueBlock(Html, Text);

/// <summary>A fenced or indented code block; <see cref="IssueBlock.Html"/> is the encoded code.</summary>
public sealed record CodeBlock(string Html, string Text, string? Language) : IssueBlock(Html, Text);

/// <summary>A heading below the section level (H3–H6), kept in place inside its section.</summary>
public sealed record HeadingBlock(string Html, string Text, int Level, string AnchorId) : IssueBlock(Html, Text);

/// <summary>A GitHub-style table.</summary>
public sealed record TableBlock(string Html, string Text) : IssueBlock(Html, Text);

/// <summary>Raw HTML the author wrote in the Markdown, after sanitising.</summary>
public sealed record HtmlBlock(string Html, string Text) : IssueBlock(Html, Text);
