using System.Net;

namespace Newsletter.Configuration;

/// <summary>
/// The <c>Newsletter:Proxy</c> section: the reverse proxies whose <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c> are believed. From anyone else those headers are ignored, since a client
/// could otherwise pick its own address (and rate-limit bucket) or claim https.
/// </summary>
public sealed class ProxyOptions
{
    public const string Section = "Newsletter:Proxy";

    /// <summary>Addresses (<c>10.0.0.5</c>) or networks (<c>10.0.0.0/24</c>) of the proxies in front of the app.</summary>
    public List<string> Addresses { get; set; } = [];

    /// <summary>The entries that do not parse as an address or a network.</summary>
    public IEnumerable<string> Invalid => Addresses.Where(a => !IPNetwork.TryParse(a, out _) && !IPAddress.TryParse(a, out _));
}
