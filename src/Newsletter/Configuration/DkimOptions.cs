namespace Newsletter.Configuration;

/// <summary>The <c>Newsletter:Dkim</c> section. Signing is on when all three are set.</summary>
public sealed class DkimOptions
{
    public const string Section = "Newsletter:Dkim";

    /// <summary>The d= domain, normally the sender address's domain.</summary>
    public string? Domain { get; set; }

    /// <summary>The s= selector whose TXT record holds the public key.</summary>
    public string? Selector { get; set; }

    /// <summary>PEM file with the RSA private key (PKCS#1 or PKCS#8).</summary>
    public string? PrivateKeyPath { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Domain) && !string.IsNullOrWhiteSpace(Selector) && !string.IsNullOrWhiteSpace(PrivateKeyPath);
}
