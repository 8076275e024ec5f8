using System.ComponentModel.DataAnnotations;

namespace Newsletter.Configuration;

/// <summary>
/// The <c>Newsletter:Bounces</c> section: the envelope sender bounces come back to, the rules that suppress
/// an address, the mailbox they are read from and the provider webhooks that report them.
/// </summary>
public sealed class BouncesOptions
{
    public const string Section = "Newsletter:Bounces";

    /// <summary>
    /// The bounce address (<c>bounces@example.com</c>): set, each message's MAIL FROM is
    /// <c>bounces+TOKEN@example.com</c> with a signed token naming the send and the reader, and the mail server
    /// must deliver <c>bounces+anything</c> to the bounce mailbox. Unset, bounces go to the sender address and
    /// are matched by the returned Message-ID.
    /// </summary>
    public string? Address { get; set; }

    /// <summary>Soft bounces (4.x.x) within <see cref="SoftWindowDays"/> that suppress an address.</summary>
    [Range(1, 100)]
    public int SoftLimit { get; set; } = 3;

    [Range(1, 365)]
    public int SoftWindowDays { get; set; } = 14;

    [Microsoft.Extensions.Options.ValidateObjectMembers]
    public BounceMailboxOptions Mailbox { get; set; } = new();

    public BounceWebhooksOptions Webhooks { get; set; } = new();
}
