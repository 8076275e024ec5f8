using System.Security.Cryptography;
using System.Text;

namespace Newsletter.Bounces;

/// <summary>The comparisons webhook checks share: in constant time, so a forger learns nothing from timing.</summary>
internal static class WebhookSignatures
{
    /// <summary>True when <paramref name="hexSignature"/> is the HMAC-SHA256 of <paramref name="data"/> under <paramref name="key"/>.</summary>
    public static bool HmacSha256Matches(string key, ReadOnlySpan<byte> data, string? hexSignature)
    {
        if (string.IsNullOrEmpty(hexSignature) || hexSignature.Length != 64)
            return false;
        byte[] given;
        try
        {
            given = Convert.FromHexString(hexSignature);
        }
        catch (FormatException)
        {
            return false;
        }
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), data);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    public static bool TextEquals(string expected, string? given) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));
}
