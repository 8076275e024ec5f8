namespace Newsletter.Archive;

/// <summary>The rendered mail of an issue, as the archive page shows it, and the version of the issue it was made from.</summary>
public sealed record IssueWebVersion(DateTime UpdatedAt, string Title, string Styles, string Body);
