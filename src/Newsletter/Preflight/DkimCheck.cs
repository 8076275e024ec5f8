using System.Security.Cryptography;
using MimeKit;
using Newsletter.Configuration;

namespace Newsletter.Preflight;

/// <summary>
/// Whether mail goes out DKIM-signed, and the TXT record receivers look the key up in, derived from the
/// configured private key. Gmail and Yahoo require bulk mail signed by a domain aligned with the From address.
/// </summary>
public static class DkimCheck
{
    public const string Name = "dkim";

    public static IEnumerable<PreflightLine> Check(DkimOptions dkim, string senderAddress, MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(dkim);
        ArgumentNullException.ThrowIfNull(message);
        if (!dkim.Enabled)
        {
            yield return new PreflightLine(Name, PreflightVerdict.Warn,
                "DKIM is not configured, so mail goes out unsigned and Gmail and Yahoo may refuse it: set Newsletter:Dkim:Domain, " +
                "Selector and PrivateKeyPath (a PEM RSA key of 2048 bits, e.g. `openssl genrsa -out dkim.pem 2048`)");
            yield break;
        }

        var (publicKey, bits, problem) = ReadPublicKey(dkim.PrivateKeyPath!);
        if (problem is not null)
        {
            yield return new PreflightLine(Name, PreflightVerdict.Fail, problem);
            yield break;
        }

        var record = new DnsTxtRecord($"{dkim.Selector}._domainkey.{dkim.Domain}", $"v=DKIM1; k=rsa; p={publicKey}");
        if (bits < 1024)
            yield return new PreflightLine(Name, PreflightVerdict.Fail,
                $"the DKIM key has {bits} bits; receivers ignore signatures under 1024 bits: make a 2048-bit key", Record: record);
        else if (!message.Headers.Contains(HeaderId.DkimSignature))
            yield return new PreflightLine(Name, PreflightVerdict.Fail, "DKIM is configured but the built message carries no DKIM-Signature");
        else
            yield return new PreflightLine(Name, PreflightVerdict.Pass,
                $"messages are signed as d={dkim.Domain}, s={dkim.Selector} ({bits}-bit key); publish the key as a TXT record at " +
                $"{record.Host}{(record.Value.Length > 255 ? " (over 255 characters: a zone file splits it into quoted strings of up to 255, most DNS providers' forms do that themselves)" : "")}",
                Record: record);

        var senderDomain = SenderDomain.Of(senderAddress);
        if (!SenderDomain.Aligned(senderDomain, dkim.Domain!))
            yield return new PreflightLine(Name, PreflightVerdict.Warn,
                $"the signing domain {dkim.Domain} is not the sender's domain {senderDomain}: DMARC passes only when they match; " +
                "sign with the sender's domain");
    }

    private static (string PublicKey, int Bits, string? Problem) ReadPublicKey(string path)
    {
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(File.ReadAllText(path));
            return (Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()), rsa.KeySize, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or CryptographicException)
        {
            return ("", 0, $"the DKIM key {path} cannot be read as a PEM RSA private key ({e.Message})");
        }
    }
}
