using System.ComponentModel.DataAnnotations;

namespace Newsletter.Subscribers;

/// <summary>The <c>Newsletter:Subscribers</c> section: sign-up links, housekeeping and the public pages' limits.</summary>
public sealed class SubscribersOptions
{
    public const string Section = "Newsletter:Subscribers";

    /// <summary>How long a confirmation link works.</summary>
    [Range(1, 24 * 90)]
    public int ConfirmationLinkHours { get; set; } = 72;

    /// <summary>Sign-ups left unconfirmed this long are dropped by the housekeeping job.</summary>
    [Range(1, 3650)]
    public int UnconfirmedMaxAgeDays { get; set; } = 30;

    /// <summary>Requests per minute one client address may make to the public subscription pages.</summary>
    [Range(1, 100_000)]
    public int RequestsPerMinute { get; set; } = 30;

    /// <summary>Largest request body the public pages read; a sign-up form is a few hundred bytes.</summary>
    [Range(256, 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 8 * 1024;
}
