namespace Newsletter.Content;

/// <summary>A heading below the section level (H3–H6), kept in place inside its section.</summary>
public sealed record HeadingBlock(string Html, string Text, int Level, string AnchorId) : IssueBlock(Html, Text);
