namespace Newsletter.Content;

/// <summary>
/// One block of an issue's body. <see cref="Html"/> is sanitised markup for the email; <see cref="Text"/>
/// is the same content written for the plain-text part (links as <c>text (url)</c>), built from the
/// Markdown tree rather than by stripping tags.
/// </summary>
public abstract record IssueBlock(string Html, string Text);
