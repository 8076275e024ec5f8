namespace Newsletter.Subscribers;

/// <summary>
/// One send's row for a subscriber: its state (<c>pending</c>, <c>sending</c>, <c>sent</c>, <c>failed</c>,
/// <c>skipped</c>), the address it went to as frozen at the send's start, the relay's last answer, and what came
/// back later (<c>hard 5.1.1 via bounce</c>, <c>complaint via ses</c>), if anything.
/// </summary>
public sealed record DeliveryRecord(long SendId, string IssueSlug, string IssueTitle, string? ListSlug, string Email, string Status,
    int Attempts, DateTime SendAt, DateTime? SentAt, string? LastError, string? CameBack);
