namespace Newsletter.Content;

/// <summary>One H2 section: a story with its title, its primary link and the blocks under it.</summary>
/// <param name="AnchorId">Unique within the issue; the table of contents links to it.</param>
/// <param name="ContentLink">
/// The story's source: a paragraph holding only a link (taken out of <paramref name="Blocks"/> and shown as a
/// button), else the section's first link; null when the section links nowhere.
/// </param>
public sealed record IssueSection(
    string Title,
    string AnchorId,
    IssueLink? ContentLink,
    IReadOnlyList<IssueBlock> Blocks);
