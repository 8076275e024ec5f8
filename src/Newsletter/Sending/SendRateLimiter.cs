using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;

namespace Newsletter.Sending;

/// <summary>
/// The process-wide pace of bulk mail: messages per second, and an optional cap per hour. The hour's budget
/// is never waited for: a batch that met a spent hour and waited there held its claimed rows (and a job
/// worker) for up to an hour, so it gives them back instead and its successor starts with the next hour.
/// </summary>
public sealed class SendRateLimiter : IAsyncDisposable
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly RateLimiter? _perSecond;
    private readonly int _perHour;
    private readonly Lock _gate = new();
    private DateTime _hourEnds = DateTime.MinValue;
    private int _takenThisHour;

    public SendRateLimiter(IOptions<SmtpOptions> options)
    {
        var smtp = options.Value;
        if (smtp.MessagesPerSecond > 0)
            _perSecond = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = smtp.MessagesPerSecond,
                TokensPerPeriod = smtp.MessagesPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            });
        _perHour = smtp.MessagesPerHour;
    }

    /// <summary>Messages the current hour still allows; <see cref="int.MaxValue"/> without a cap.</summary>
    public int LeftThisHour
    {
        get
        {
            if (_perHour == 0)
                return int.MaxValue;
            lock (_gate)
                return DateTime.UtcNow >= _hourEnds ? _perHour : _perHour - _takenThisHour;
        }
    }

    /// <summary>When the hour's budget is spent, the moment the next hour starts; otherwise null.</summary>
    public DateTime? SpentUntil
    {
        get
        {
            if (_perHour == 0)
                return null;
            lock (_gate)
                return DateTime.UtcNow < _hourEnds && _takenThisHour >= _perHour ? _hourEnds : null;
        }
    }

    /// <summary>
    /// Takes one message from the hour's budget and waits for the per-second pace; false at once, without
    /// waiting, when the hour's budget is spent.
    /// </summary>
    public async ValueTask<bool> WaitAsync(CancellationToken cancellationToken = default)
    {
        if (!TryTakeFromHour())
            return false;
        if (_perSecond is not null)
            using (await _perSecond.AcquireAsync(1, cancellationToken)) { }
        return true;
    }

    private bool TryTakeFromHour()
    {
        if (_perHour == 0)
            return true;
        lock (_gate)
        {
            var now = DateTime.UtcNow;
            if (now >= _hourEnds)
                (_hourEnds, _takenThisHour) = (now + Hour, 0);
            if (_takenThisHour >= _perHour)
                return false;
            _takenThisHour++;
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_perSecond is not null)
            await _perSecond.DisposeAsync();
    }
}
