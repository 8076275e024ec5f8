namespace Newsletter.Issues;

/// <summary>An issue that has started going out. <see cref="UpdatedAt"/> changes whenever its source may have.</summary>
public sealed record PublishedIssue(long Id, string Slug, DateTime UpdatedAt);
