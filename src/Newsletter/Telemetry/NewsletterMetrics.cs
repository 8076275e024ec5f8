using System.Diagnostics.Metrics;

namespace Newsletter.Telemetry;

/// <summary>
/// The <c>Newsletter</c> meter and the instruments the sending code records on. Delivery counters count what the
/// ledger committed, not what the relay answered, so a send's counter ends equal to its rows in that state.
/// The send rate is left to the scraper (<c>rate()</c> of the sent counter).
/// </summary>
public sealed class NewsletterMetrics
{
    public const string MeterName = "Newsletter";

    private readonly Counter<long> _sent;
    private readonly Counter<long> _deferred;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _bounced;
    private readonly UpDownCounter<int> _connectionsInUse;
    private readonly Counter<long> _reconnects;

    public NewsletterMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(MeterName);
        _sent = Meter.CreateCounter<long>("newsletter.messages.sent", "{message}",
            "Deliveries recorded as accepted by the relay.");
        _deferred = Meter.CreateCounter<long>("newsletter.messages.deferred", "{message}",
            "Deliveries recorded as refused for now (4xx) and put back for a later attempt.");
        _failed = Meter.CreateCounter<long>("newsletter.messages.failed", "{message}",
            "Deliveries recorded as failed for good, bounces included.");
        _bounced = Meter.CreateCounter<long>("newsletter.messages.bounced", "{message}",
            "Failed deliveries whose address the relay refused (5xx); the address is suppressed.");
        _connectionsInUse = Meter.CreateUpDownCounter<int>("newsletter.smtp.connections.in_use", "{connection}",
            "Pooled SMTP connections rented by a batch.");
        _reconnects = Meter.CreateCounter<long>("newsletter.smtp.reconnects", "{connection}",
            "SMTP connections opened again after an earlier session ended: recycled after their message quota, or lost.");
    }

    /// <summary>The meter, for instruments observed elsewhere (the ledger and queue gauges read at scrape time).</summary>
    public Meter Meter { get; }

    /// <summary>Rows of <paramref name="sendId"/> that one committed write moved to each state.</summary>
    public void Recorded(long sendId, long sent, long deferred, long failed, long bounced)
    {
        var send = new KeyValuePair<string, object?>("send_id", sendId);
        if (sent > 0)
            _sent.Add(sent, send);
        if (deferred > 0)
            _deferred.Add(deferred, send);
        if (failed > 0)
            _failed.Add(failed, send);
        if (bounced > 0)
            _bounced.Add(bounced, send);
    }

    public void ConnectionRented() => _connectionsInUse.Add(1);

    public void ConnectionReturned() => _connectionsInUse.Add(-1);

    /// <param name="recycled">True when the connection was closed on purpose after its message quota, false when it was lost.</param>
    public void Reconnected(bool recycled) =>
        _reconnects.Add(1, new KeyValuePair<string, object?>("reason", recycled ? "recycled" : "lost"));
}
