namespace Newsletter.Sending;

public sealed record SendRecord(
    long Id, long IssueId, string IssueSlug, long[] ListIds, string Status, string? StatusReason,
    DateTime ScheduledAt, DateTime? StartedAt, DateTime? FirstSentAt, DateTime? FinishedAt, int? Recipients);
