namespace Newsletter.Sending;

/// <summary>
/// Opt-outs and suppressions seen in the consent log lately, by subscriber, each event once however often it
/// is read. Not thread-safe: <see cref="ConsentLogReader"/> guards it.
/// </summary>
internal sealed class ConsentWithdrawals
{
    private readonly Dictionary<long, List<(long EventId, long? ListId)>> _bySubscriber = [];
    private readonly Queue<(long At, long EventId, long SubscriberId)> _byAge = new();
    private readonly HashSet<long> _known = [];

    public void Add(long eventId, long subscriberId, long? listId, long at)
    {
        if (!_known.Add(eventId))
            return;
        if (!_bySubscriber.TryGetValue(subscriberId, out var withdrawals))
            _bySubscriber[subscriberId] = withdrawals = [];
        withdrawals.Add((eventId, listId));
        _byAge.Enqueue((at, eventId, subscriberId));
    }

    /// <summary>
    /// Whether the reader left one of the send's lists or everything. Leaving one list of a send to several
    /// skips the reader even when still on another: in doubt, no mail.
    /// </summary>
    public bool Covers(long subscriberId, long[] listIds) =>
        _bySubscriber.TryGetValue(subscriberId, out var withdrawals)
        && withdrawals.Any(w => w.ListId is not { } list || listIds.Contains(list));

    /// <summary>Drops what was seen before <paramref name="before"/>: any row claimed since was checked at its claim.</summary>
    public void ForgetBefore(long before)
    {
        while (_byAge.TryPeek(out var oldest) && oldest.At < before)
        {
            _byAge.Dequeue();
            _known.Remove(oldest.EventId);
            if (!_bySubscriber.TryGetValue(oldest.SubscriberId, out var withdrawals))
                continue;
            withdrawals.RemoveAll(w => w.EventId == oldest.EventId);
            if (withdrawals.Count == 0)
                _bySubscriber.Remove(oldest.SubscriberId);
        }
    }
}
