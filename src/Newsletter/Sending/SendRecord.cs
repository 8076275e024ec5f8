namespace Newsletter.Sending;

// Properties rather than a positional record: Dapper matches constructors by exact column type, and
// PostgreSQL arrays come back typed as System.Array.
public sealed record SendRecord
{
    public long Id { get; init; }
    public long IssueId { get; init; }
    public string IssueSlug { get; init; } = "";
    public long[] ListIds { get; init; } = [];
    public SendStatus Status { get; init; }
    public string? StatusReason { get; init; }
    public DateTime ScheduledAt { get; init; }
    public DateTime? StartedAt { get; init; }
    public DateTime? FirstSentAt { get; init; }
    public DateTime? FinishedAt { get; init; }
    public int? Recipients { get; init; }
    /// <summary>When rendering and the audience freeze began; the freeze ended at <see cref="FrozenAt"/>.</summary>
    public DateTime? PreparedAt { get; init; }
    public DateTime? FrozenAt { get; init; }
    /// <summary>A send again of its issue that leaves out readers an earlier send of it reached (<see cref="ResendMode.Missed"/>).</summary>
    public bool OnlyMissed { get; init; }
    /// <summary>The failing preflight lines the author sent despite, one a line; null when the issue passed its preflight.</summary>
    public string? PreflightOverride { get; init; }
    /// <summary>The issue was stored again after the send was created: its preflight is checked again before it goes out.</summary>
    public bool IssueEditedSince { get; init; }
}
