using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;

namespace Newsletter.Sending;

/// <summary>The process-wide pace of bulk mail: messages per second, and an optional cap per hour.</summary>
public sealed class SendRateLimiter : IAsyncDisposable
{
    private readonly RateLimiter? _perSecond;
    private readonly RateLimiter? _perHour;

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
        if (smtp.MessagesPerHour > 0)
            _perHour = new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
            {
                PermitLimit = smtp.MessagesPerHour,
                Window = TimeSpan.FromHours(1),
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            });
    }

    /// <summary>Waits until one more message may go out.</summary>
    public async ValueTask WaitAsync(CancellationToken cancellationToken = default)
    {
        if (_perHour is not null)
            using (await _perHour.AcquireAsync(1, cancellationToken)) { }
        if (_perSecond is not null)
            using (await _perSecond.AcquireAsync(1, cancellationToken)) { }
    }

    public async ValueTask DisposeAsync()
    {
        if (_perSecond is not null)
            await _perSecond.DisposeAsync();
        if (_perHour is not null)
            await _perHour.DisposeAsync();
    }
}
