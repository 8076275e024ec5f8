namespace Newsletter.Bounces;

/// <summary>What came back from one send: hard and soft bounces, complaints.</summary>
public sealed record BounceCounts(long SendId, long Hard, long Soft, long Complaints)
{
    public static BounceCounts None(long sendId) => new(sendId, 0, 0, 0);

    public long Bounced => Hard + Soft;
}
