namespace Newsletter.Api;

/// <summary>
/// What the claim of an Idempotency-Key found: <see cref="Claimed"/> (run the request), <see cref="Stored"/> (replay
/// the response given), <see cref="InFlight"/> (the first request has no answer yet) or <see cref="Mismatch"/> (the key
/// came with another request).
/// </summary>
public sealed record IdempotencyClaim(string State, int? StatusCode, string? ContentType, byte[]? Body)
{
    public const string Claimed = "claimed";
    public const string Stored = "stored";
    public const string InFlight = "in_flight";
    public const string Mismatch = "mismatch";
}
