namespace Newsletter.Subscribers;

/// <summary>
/// One send's row for a subscriber: its state (<c>pending</c>, <c>sending</c>, <c>sent</c>, <c>failed</c>,
/// <c>skipped</c>), the address it went to as frozen at the send's start, and the relay's last answer.
/// </summary>
public sealed record DeliveryRecord(long SendId, string IssueSlug, string IssueTitle, string? ListSlug, string Email, string Status,
    int Attempts, DateTime SendAt, DateTime? SentAt, string? LastError);
