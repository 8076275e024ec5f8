using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;

namespace Newsletter.Operations;

/// <summary>
/// Fixed one-minute windows of sign-in attempts per client address and per user name. Checked before
/// the password hash (PBKDF2, milliseconds of CPU) is computed, so a refused attempt costs next to nothing.
/// </summary>
public sealed class LoginThrottle : IDisposable
{
    // Longer names are cut: an attacker must not grow the table of windows with megabyte keys.
    private const int MaxUserLength = 128;

    private readonly PartitionedRateLimiter<string> _perClient;
    private readonly PartitionedRateLimiter<string> _perUser;

    public LoginThrottle(IOptions<AdminOptions> options)
    {
        _perClient = PerMinute(options.Value.LoginAttemptsPerMinute);
        _perUser = PerMinute(options.Value.LoginAttemptsPerUserPerMinute);
    }

    /// <summary>Takes one attempt from the client's window; null if allowed, else how long until the next window.</summary>
    public TimeSpan? TryClient(IPAddress? client) => Take(_perClient, ClientKey(client));

    /// <summary>Takes one attempt from the user name's window; null if allowed, else how long to wait.</summary>
    public TimeSpan? TryUser(string user) => Take(_perUser, user.Length > MaxUserLength ? user[..MaxUserLength] : user);

    public void Dispose()
    {
        _perClient.Dispose();
        _perUser.Dispose();
    }

    // One IPv6 host usually holds a whole /64: counted per address, it would have 2^64 windows.
    private static string ClientKey(IPAddress? address)
    {
        if (address is null)
            return "unknown";
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private static TimeSpan? Take(PartitionedRateLimiter<string> limiter, string key)
    {
        using var lease = limiter.AttemptAcquire(key);
        if (lease.IsAcquired)
            return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
    }

    private static PartitionedRateLimiter<string> PerMinute(int permits) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
}
