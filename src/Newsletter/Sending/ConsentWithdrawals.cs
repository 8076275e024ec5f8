namespace Newsletter.Sending;

/// <summary>
/// Opt-outs and suppressions seen in the consent log lately, by subscriber. A batch checks each message
/// against them: its rows were checked against consent when claimed, and may be in hand for minutes. Not
/// thread-safe: the outcome writer guards it.
/// </summary>
internal sealed class ConsentWithdrawals
{
    private readonly Dictionary<long, List<(long? ListId, long At)>> _bySubscriber = [];
    private readonly Queue<(long SubscriberId, long At)> _byAge = new();

    public void Add(long subscriberId, long? listId, long at)
    {
        if (!_bySubscriber.TryGetValue(subscriberId, out var withdrawals))
            _bySubscriber[subscriberId] = withdrawals = [];
        withdrawals.Add((listId, at));
        _byAge.Enqueue((subscriberId, at));
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
            var withdrawals = _bySubscriber[oldest.SubscriberId];
            withdrawals.RemoveAll(w => w.At == oldest.At);
            if (withdrawals.Count == 0)
                _bySubscriber.Remove(oldest.SubscriberId);
        }
    }
}
