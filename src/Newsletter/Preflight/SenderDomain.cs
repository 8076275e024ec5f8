using System.Net;

namespace Newsletter.Preflight;

/// <summary>The domain of the From address, and whether it is one that can have DNS records at all.</summary>
public static class SenderDomain
{
    private static readonly string[] ReservedSuffixes =
    [
        ".localhost", ".local", ".localdomain", ".test", ".invalid", ".example", ".internal", ".example.com", ".example.net", ".example.org",
    ];

    public static string Of(string address)
    {
        var at = address.LastIndexOf('@');
        return (at >= 0 ? address[(at + 1)..] : address).Trim().TrimEnd('>').ToLowerInvariant();
    }

    /// <summary>False for localhost, an address literal, a name without a dot and the names RFC 2606/6761 reserve.</summary>
    public static bool IsPublic(string domain) =>
        domain.Contains('.')
        && !IPAddress.TryParse(domain.Trim('[', ']'), out _)
        && !ReservedSuffixes.Any(suffix => ("." + domain).EndsWith(suffix, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// DMARC's relaxed alignment, approximated: one domain is the other or a subdomain of it (news.example.com and
    /// example.com align). The exact rule compares organisational domains, which needs the public suffix list.
    /// </summary>
    public static bool Aligned(string a, string b)
    {
        a = a.TrimEnd('.').ToLowerInvariant();
        b = b.TrimEnd('.').ToLowerInvariant();
        return a == b || a.EndsWith("." + b, StringComparison.Ordinal) || b.EndsWith("." + a, StringComparison.Ordinal);
    }
}
