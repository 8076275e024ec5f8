namespace Newsletter.Archive;

/// <summary>The rendered mail of an issue, as the archive page shows it, and the source it was made from.</summary>
public sealed record IssueWebVersion(string Source, string Title, string Styles, string Body);
