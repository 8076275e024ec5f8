using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;

namespace Newsletter.Api;

/// <summary>
/// <c>Newsletter:Api:RequestsPerMinute</c> per key, counted by the key's name (authorization has signed the key in
/// before the limiter runs); over it, a 429 problem with <c>Retry-After</c>.
/// </summary>
public sealed class ApiRateLimit(IOptions<ApiOptions> options) : IRateLimiterPolicy<string>
{
    public const string Name = "api";

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        RateLimitPartition.GetFixedWindowLimiter(httpContext.User.Identity?.Name ?? "", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.RequestsPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });

    public Func<OnRejectedContext, CancellationToken, ValueTask> OnRejected => async (rejected, _) =>
    {
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 60;
        rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await ApiProblems.Problem(StatusCodes.Status429TooManyRequests, "Too many requests",
            $"This key made more than {options.Value.RequestsPerMinute} requests this minute; " +
            $"retry in {seconds} s.").ExecuteAsync(rejected.HttpContext);
    };
}
