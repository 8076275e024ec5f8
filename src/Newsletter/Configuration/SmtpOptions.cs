using System.ComponentModel.DataAnnotations;

namespace Newsletter.Configuration;

public enum SmtpSecurity
{
    None,
    StartTls,
    SslOnConnect,
    Auto,
}

/// <summary>The <c>Newsletter:Smtp</c> section: the relay every message goes through.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Newsletter:Smtp";

    [Required]
    public string Host { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int Port { get; set; } = 2525;

    /// <summary>
    /// TLS to the relay. Auto: TLS on connect on port 465, else STARTTLS when offered; with a <see cref="User"/>,
    /// STARTTLS is required, so that the password never goes in clear.
    /// </summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.None;

    public string? User { get; set; }

    public string? Password { get; set; }

    /// <summary>
    /// Lets <see cref="User"/> and <see cref="Password"/> go to a relay that is not on loopback without TLS
    /// (<see cref="Security"/> None): only for a relay on a network nobody else can listen to.
    /// </summary>
    public bool AllowCredentialsWithoutTls { get; set; }

    /// <summary>True when the password would cross a network in clear: a user, no TLS, a relay not on this machine.</summary>
    public bool SendsCredentialsInClear =>
        !string.IsNullOrEmpty(User) && Security == SmtpSecurity.None && !AllowCredentialsWithoutTls && !IsLoopback(Host);

    private static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (System.Net.IPAddress.TryParse(host, out var address) && System.Net.IPAddress.IsLoopback(address));

    /// <summary>Long-lived connections per process; each serves one sender at a time.</summary>
    [Range(1, 64)]
    public int PoolSize { get; set; } = 8;

    /// <summary>Messages per second across all nodes on the database together; 0 means unlimited.</summary>
    [Range(0, 100_000)]
    public int MessagesPerSecond { get; set; }

    /// <summary>Optional cap per hour across all nodes together (the hour starts at its first message); 0 means none.</summary>
    [Range(0, 100_000_000)]
    public int MessagesPerHour { get; set; }

    /// <summary>A connection is recycled after this many messages.</summary>
    [Range(1, 1_000_000)]
    public int MessagesPerConnection { get; set; } = 1000;

    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 30;
}
