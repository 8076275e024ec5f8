using System.ComponentModel.DataAnnotations;

namespace Newsletter.Configuration;

/// <summary>The <c>Newsletter:Subscribers</c> section: sign-up links, housekeeping and the public pages' limits.</summary>
public sealed class SubscribersOptions
{
    public const string Section = "Newsletter:Subscribers";

    /// <summary>How long a confirmation link works.</summary>
    [Range(1, 24 * 90)]
    public int ConfirmationLinkHours { get; set; } = 72;

    /// <summary>
    /// How long an unsubscribe or preferences link works, from the day its mail was made. Long, because a
    /// mail client's one-click unsubscribe (RFC 8058) may be pressed on an old mail; short enough that a
    /// forwarded or leaked mail does not open the page for ever.
    /// </summary>
    [Range(30, 3650)]
    public int UnsubscribeLinkDays { get; set; } = 365;

    /// <summary>
    /// Signing keys for links, by key id (1-255): base64 of at least 32 random bytes
    /// (<c>openssl rand -base64 32</c>). New links use the highest id; links signed with any key listed
    /// here, or with the generated key (id 0), still verify. Rotate by adding a higher id; retire by removing one.
    /// </summary>
    public Dictionary<int, string> TokenKeys { get; set; } = [];

    /// <summary>
    /// Stop accepting links signed with the key generated in the database (id 0), which also signed every
    /// link made before key ids existed. Needs a key in <see cref="TokenKeys"/>.
    /// </summary>
    public bool RetireGeneratedTokenKey { get; set; }

    /// <summary>Sign-ups left unconfirmed this long are dropped by the housekeeping job.</summary>
    [Range(1, 3650)]
    public int UnconfirmedMaxAgeDays { get; set; } = 30;

    /// <summary>Sign-ups (<c>POST /subscribe</c>) per minute from one client address.</summary>
    [Range(1, 100_000)]
    public int SubscribeRequestsPerMinute { get; set; } = 30;

    /// <summary>
    /// Requests per minute from one client address to the signed-link pages (confirm, unsubscribe,
    /// preferences). Higher than for sign-ups: mailbox providers send RFC 8058 one-click POSTs for many
    /// subscribers from few addresses, and a refused one-click is a lost unsubscribe.
    /// </summary>
    [Range(1, 1_000_000)]
    public int LinkRequestsPerMinute { get; set; } = 600;

    /// <summary>Largest request body the public pages read; a sign-up form is a few hundred bytes.</summary>
    [Range(256, 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 8 * 1024;
}
