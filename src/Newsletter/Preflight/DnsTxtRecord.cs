namespace Newsletter.Preflight;

/// <summary>A TXT record to publish: its host name and its value, as a DNS provider's form asks for them.</summary>
public sealed record DnsTxtRecord(string Host, string Value)
{
    public override string ToString() => $"{Host} TXT \"{Value}\"";
}
