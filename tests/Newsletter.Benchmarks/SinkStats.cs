using System.Text.Json.Serialization;

namespace Newsletter.Benchmarks;

/// <summary>What the fast sink accepted since its last reset; <see cref="Distinct"/> counts the Message-IDs with the asked prefix.</summary>
public sealed record SinkStats(long Accepted, DateTime? FirstAcceptedAt, DateTime? LastAcceptedAt, long Distinct, long AllDistinct, long Duplicates)
{
    /// <summary>Messages per second from the first accepted to the last.</summary>
    [JsonIgnore]
    public double Rate => (LastAcceptedAt - FirstAcceptedAt)?.TotalSeconds is { } span ? Accepted / span : double.NaN;
}
