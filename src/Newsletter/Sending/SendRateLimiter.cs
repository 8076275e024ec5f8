using Microsoft.Extensions.Options;
using Newsletter.Configuration;

namespace Newsletter.Sending;

/// <summary>
/// The pace of bulk mail across every node on the database: messages per second, and an optional cap per hour,
/// each a <see cref="SharedRateWindow"/>. The hour's budget is never waited for: a batch that met a spent hour
/// and waited there held its claimed rows (and a job worker) for up to an hour, so it gives them back instead
/// and its successor starts with the next hour.
/// </summary>
/// <remarks>
/// Shared windows rather than the rate divided by the live Hangfire servers: a division is wrong whenever a node
/// idles, starts or dies (its share is lost, or exceeded until its heartbeat times out), and a window row is
/// exact at the cost of one upsert per block. Blocks of a twentieth of the second's limit: 20 claims a second
/// for all nodes together.
/// </remarks>
public sealed class SendRateLimiter
{
    private const int ClaimsPerSecond = 20;
    private const int HourBlockMax = 100;
    private readonly SharedRateWindow? _perSecond;
    private readonly SharedRateWindow? _perHour;

    public SendRateLimiter(RateWindowStore store, IOptions<SmtpOptions> options)
    {
        var smtp = options.Value;
        if (smtp.MessagesPerSecond > 0)
            _perSecond = new SharedRateWindow(store, "messages-per-second", smtp.MessagesPerSecond,
                smtp.MessagesPerSecond / ClaimsPerSecond, TimeSpan.FromSeconds(1), aligned: true);
        if (smtp.MessagesPerHour > 0)
            _perHour = new SharedRateWindow(store, "messages-per-hour", smtp.MessagesPerHour,
                Math.Min(smtp.MessagesPerHour / 100, HourBlockMax), TimeSpan.FromHours(1), aligned: false);
    }

    /// <summary>Messages the current hour still allows; <see cref="int.MaxValue"/> without a cap.</summary>
    public int LeftThisHour => _perHour?.Left ?? int.MaxValue;

    /// <summary>When the hour's budget is spent, the moment the next hour starts; otherwise null.</summary>
    public DateTime? SpentUntil => _perHour?.SpentFor is { } left ? DateTime.UtcNow + left : null;

    /// <summary>
    /// Takes one message from the hour's budget and waits for the per-second pace; false at once, without
    /// waiting, when the hour's budget is spent.
    /// </summary>
    public async ValueTask<bool> WaitAsync(CancellationToken cancellationToken = default)
    {
        if (_perHour is not null && await _perHour.TryTakeAsync(cancellationToken) is not null)
            return false;
        if (_perSecond is null)
            return true;
        while (await _perSecond.TryTakeAsync(cancellationToken) is { } spentFor)
            await Task.Delay(spentFor, cancellationToken);
        return true;
    }
}
