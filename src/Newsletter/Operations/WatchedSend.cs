namespace Newsletter.Operations;

/// <summary>A send being sent, with its duration as first estimated (seconds), if it has been.</summary>
public sealed record WatchedSend(long SendId, double? ExpectedSeconds);
