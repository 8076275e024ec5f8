namespace Newsletter.Sending;

/// <summary>What a batch job reads of its send before claiming rows.</summary>
public sealed record SendBatchState
{
    public long[] ListIds { get; init; } = [];
    public SendStatus Status { get; init; }
}
