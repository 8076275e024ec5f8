namespace Newsletter.Issues;

public sealed record IssueRecord(long Id, string Slug, string Title, string Source, DateTime? ReadyAt, DateTime CreatedAt);
