namespace Newsletter.Content;

/// <summary>The editor's commentary: a <c>→ Note:</c> paragraph or a <c>&gt; [!NOTE]</c> alert, without its marker.</summary>
public sealed record NoteBlock(string Html, string Text) : IssueBlock(Html, Text);
