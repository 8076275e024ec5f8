namespace Newsletter.Issues;

/// <summary>One row of the author's list of issues, without the source.</summary>
public sealed record IssueSummary(long Id, string Slug, string Title, IssueState State, DateTime UpdatedAt);
