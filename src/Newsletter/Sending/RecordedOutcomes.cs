namespace Newsletter.Sending;

/// <summary>
/// The rows one write of outcomes changed, by the state it left them in: fewer than handed over when a row was no
/// longer the batch's (its lease had run out). Bounced rows are among the failed.
/// </summary>
public sealed record RecordedOutcomes(long Sent, long Deferred, long Failed, long Bounced)
{
    public static readonly RecordedOutcomes None = new(0, 0, 0, 0);
}
