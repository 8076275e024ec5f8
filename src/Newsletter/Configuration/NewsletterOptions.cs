using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Newsletter.Configuration;

/// <summary>The <c>Newsletter</c> section: who sends, from where, and where the links point.</summary>
public sealed class NewsletterOptions
{
    public const string Section = "Newsletter";

    /// <summary>Name shown in the mail header and the From display name.</summary>
    [Required]
    public string Name { get; set; } = "The Weekly Newsletter";

    /// <summary>Base of every link in a mail (unsubscribe, confirm, web version).</summary>
    [Required, Url]
    public string PublicUrl { get; set; } = "http://127.0.0.1:5000";

    /// <summary>Where the zero-config PostgreSQL cluster and generated secrets live.</summary>
    [Required]
    public string DataDirectory { get; set; } = ".data";

    // Data annotations stop at the section's own properties unless told to look inside.
    [Required, ValidateObjectMembers]
    public SenderOptions Sender { get; set; } = new();
}

public sealed class SenderOptions
{
    [Required]
    public string Name { get; set; } = "The Weekly Newsletter";

    [Required, EmailAddress]
    public string Address { get; set; } = "newsletter@localhost";

    [EmailAddress]
    public string? ReplyTo { get; set; }

    /// <summary>Postal address printed in every footer (CAN-SPAM asks for one).</summary>
    [Required]
    public string PostalAddress { get; set; } = "1 Example Street, Springfield";
}
