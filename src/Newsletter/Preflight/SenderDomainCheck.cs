using System.Net;
using System.Net.Sockets;

namespace Newsletter.Preflight;

/// <summary>
/// The SPF and DMARC records the sender's domain needs (Gmail and Yahoo require both of bulk senders). The
/// preflight does not look them up: it says what to publish, derived from the From address and the relay.
/// </summary>
public static class SenderDomainCheck
{
    public const string Name = "sender domain";

    public static IEnumerable<PreflightLine> Check(string senderAddress, string relayHost)
    {
        ArgumentException.ThrowIfNullOrEmpty(senderAddress);
        var domain = SenderDomain.Of(senderAddress);
        if (!SenderDomain.IsPublic(domain))
        {
            yield return new PreflightLine(Name, PreflightVerdict.Warn,
                $"the sender address {senderAddress} is at {domain}, which cannot have public DNS records: mailbox providers refuse " +
                "such mail; set Newsletter:Sender:Address to an address at your own domain");
            yield break;
        }

        var (spf, relay) = Spf(relayHost);
        yield return new PreflightLine(Name, PreflightVerdict.Advice,
            $"publish SPF for {domain} so receivers accept mail from {relay}; where your relay's provider documents an " +
            "include: mechanism, use theirs", Record: new DnsTxtRecord(domain, spf));
        yield return new PreflightLine(Name, PreflightVerdict.Advice,
            $"publish DMARC for {domain}: start with p=none, read the reports, then move to p=quarantine",
            Record: new DnsTxtRecord($"_dmarc.{domain}", $"v=DMARC1; p=none; rua=mailto:postmaster@{domain}"));
    }

    private static (string Record, string Relay) Spf(string relayHost)
    {
        if (IPAddress.TryParse(relayHost, out var address))
        {
            if (IPAddress.IsLoopback(address))
                return ("v=spf1 a mx ~all", "this machine (the relay on loopback passes mail on from here; add ip4: for its public address if the domain's A and MX records point elsewhere)");
            var mechanism = address.AddressFamily == AddressFamily.InterNetworkV6 ? "ip6" : "ip4";
            return ($"v=spf1 {mechanism}:{address} ~all", $"the relay {address}");
        }
        return relayHost.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            ? Spf("127.0.0.1")
            : ($"v=spf1 a:{relayHost} ~all", $"the relay {relayHost}");
    }
}
