namespace Newsletter.Benchmarks;

/// <summary>
/// Whether the unsubscribes made during a send were honoured, from the database alone: each one-click
/// unsubscribe of the list (its <c>consent_events</c> row, written in the unsubscribe's transaction) against
/// that subscriber's row in the send's ledger. A row 'sent' with <c>sent_at</c> (the relay's 250, in the
/// sender's clock) after the event's <c>created_at</c> (the transaction's start, in PostgreSQL's clock, same
/// machine) is a mail that left after the person had asked for none; since the POST returns a little after
/// <c>created_at</c>, a lag of a few milliseconds may be a message accepted before the answer reached the client.
/// </summary>
public sealed record UnsubscribeAudit(
    long Unsubscribed, long SubscriptionsUnsubscribed, long SentBefore, long Skipped, long Violations, long MedianLagMs, long WorstLagMs)
{
    private const string Unsubscribes = """
        FROM consent_events c
        JOIN deliveries d ON d.send_id = @send AND d.subscriber_id = c.subscriber_id
        WHERE c.list_id = @list AND c.action = 'unsubscribed'
        """;

    private const string Late = " AND d.status = 'sent' AND d.sent_at > c.created_at";

    public static async Task<UnsubscribeAudit> RunAsync(BenchDatabase database, long sendId, long listId)
    {
        Task<long> Count(string sql) => database.ExecuteScalarAsync(sql, ("send", sendId), ("list", listId));
        return new UnsubscribeAudit(
            await database.ExecuteScalarAsync(
                "SELECT count(*) FROM consent_events WHERE list_id = @list AND action = 'unsubscribed'", ("list", listId)),
            await database.ExecuteScalarAsync(
                "SELECT count(*) FROM subscriptions WHERE list_id = @list AND status = 'unsubscribed'", ("list", listId)),
            await Count($"SELECT count(*) {Unsubscribes} AND d.status = 'sent' AND d.sent_at <= c.created_at"),
            await Count($"SELECT count(*) {Unsubscribes} AND d.status = 'skipped'"),
            await Count($"SELECT count(*) {Unsubscribes}{Late}"),
            await Count($"SELECT coalesce(ceil(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM d.sent_at - c.created_at) * 1000)), 0)::bigint {Unsubscribes}{Late}"),
            await Count($"SELECT coalesce(ceil(max(extract(epoch FROM d.sent_at - c.created_at) * 1000)), 0)::bigint {Unsubscribes}{Late}"));
    }
}
