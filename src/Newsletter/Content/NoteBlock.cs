using Markdig.Syntax;

namespace Newsletter.Content;

/// <summary>
/// The editor's commentary: a <c>→ Note:</c> paragraph (its marker removed) or a <c>&gt; [!NOTE]</c> alert,
/// whose inner blocks are the note.
/// </summary>
public sealed record NoteBlock(Block Markdown) : IssueBlock(Markdown);
