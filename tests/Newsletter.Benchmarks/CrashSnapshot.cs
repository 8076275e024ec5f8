using System.Globalization;

namespace Newsletter.Benchmarks;

/// <summary>
/// One send as it stood once a killed process was gone: the copies the sink accepted per recipient and the
/// recipients the ledger records as sent. Taken after the sink has settled, so that a message whose last bytes
/// were on the wire at the kill is counted, and any flush the database was committing has committed.
/// </summary>
public sealed record CrashSnapshot(IReadOnlyDictionary<long, int> Copies, IReadOnlySet<long> Recorded, long Accepted)
{
    public static readonly CrashSnapshot Empty = new(new Dictionary<long, int>(), new HashSet<long>(), 0);

    /// <summary>Recipients with at least one copy.</summary>
    public int Distinct => Copies.Count;

    /// <summary>Copies beyond the first, all recipients.</summary>
    public long Duplicates => Copies.Values.Sum(count => (long)count - 1);

    /// <summary>Recipients the sink has a copy for while the ledger does not say sent: the next process sends them again.</summary>
    public IEnumerable<long> Unrecorded => Copies.Keys.Where(id => !Recorded.Contains(id));

    /// <summary>Of <see cref="Unrecorded"/>, those whose latest copy arrived after <paramref name="before"/>.</summary>
    public int UnrecordedSince(CrashSnapshot before) => Unrecorded.Count(id => Copies[id] > before.Copies.GetValueOrDefault(id));

    public static async Task<CrashSnapshot> TakeAsync(SinkProcess sink, BenchDatabase database, long sendId)
    {
        await SettleAsync(sink);
        var prefix = $"send{sendId}.";
        var copies = (await sink.CountsAsync(prefix)).ToDictionary(pair => SubscriberId(pair.Key, prefix), pair => pair.Value);
        var recorded = await database.QueryLongsAsync(
            "SELECT subscriber_id FROM deliveries WHERE send_id = @id AND status = 'sent'", ("id", sendId));
        return new CrashSnapshot(copies, recorded.ToHashSet(), await sink.AcceptedAsync());
    }

    /// <summary>
    /// Extra copies the kill right after <paramref name="before"/>…<paramref name="atKill"/> caused: of the copies
    /// that arrived in between and were not recorded at the kill, those that another copy followed by the end
    /// (<paramref name="end"/>). A copy left unrecorded by several kills counts at the first, where it arrived.
    /// </summary>
    public static long DuplicatesCaused(CrashSnapshot before, CrashSnapshot atKill, CrashSnapshot end) =>
        atKill.Unrecorded.Sum(id =>
            Math.Max(0L, Math.Min(atKill.Copies[id], end.Copies[id] - 1) - before.Copies.GetValueOrDefault(id)));

    /// <summary>Waits until the sink has taken nothing new for a moment (at most a few seconds).</summary>
    private static async Task SettleAsync(SinkProcess sink)
    {
        var last = await sink.AcceptedAsync();
        for (var round = 0; round < 30; round++)
        {
            await Task.Delay(100);
            var now = await sink.AcceptedAsync();
            if (now == last && round >= 2)
                return;
            last = now;
        }
    }

    /// <summary>The subscriber id in <c>send{send}.{subscriber}@{domain}</c>.</summary>
    private static long SubscriberId(string messageId, string prefix) =>
        long.Parse(messageId.AsSpan(prefix.Length, messageId.IndexOf('@') - prefix.Length), CultureInfo.InvariantCulture);
}
