namespace Newsletter.Operations;

/// <summary>The relay has not answered since <paramref name="Since"/>, by the database's clock (<paramref name="Now"/>).</summary>
public sealed record RelayOutage(DateTime Since, DateTime? ReachableAt, DateTime Now)
{
    public TimeSpan Lasted => Now - Since;
}
