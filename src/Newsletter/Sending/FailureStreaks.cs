using System.Collections.Concurrent;

namespace Newsletter.Sending;

/// <summary>
/// Failures in a row per send, across all batches in this process: a relay that refuses everything
/// shows up within one streak even when many small batches share the work.
/// </summary>
public sealed class FailureStreaks
{
    private readonly ConcurrentDictionary<long, int> _streaks = new();

    /// <summary>Counts a failure; returns the streak's new length.</summary>
    public int Failed(long sendId) => _streaks.AddOrUpdate(sendId, 1, (_, n) => n + 1);

    public void Succeeded(long sendId) => _streaks[sendId] = 0;

    public void Forget(long sendId) => _streaks.TryRemove(sendId, out _);
}
