using System.ComponentModel.DataAnnotations;

namespace Newsletter.Configuration;

public enum MailboxProtocol
{
    Imap,
    Pop3,
}

/// <summary>
/// The <c>Newsletter:Bounces:Mailbox</c> section: where bounces and complaints arrive. The reading job is
/// scheduled only when <see cref="Host"/> is set.
/// </summary>
public sealed class BounceMailboxOptions
{
    public string? Host { get; set; }

    public MailboxProtocol Protocol { get; set; } = MailboxProtocol.Imap;

    /// <summary>0: the protocol's port for <see cref="Security"/> (993 or 143 for IMAP, 995 or 110 for POP3).</summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    /// <summary>TLS as for the SMTP relay; Auto with a user requires TLS.</summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;

    public string? User { get; set; }

    public string? Password { get; set; }

    /// <summary>The IMAP folder read.</summary>
    public string Folder { get; set; } = "INBOX";

    /// <summary>The IMAP folder handled messages are moved to (made when missing); POP3 deletes them.</summary>
    public string HandledFolder { get; set; } = "Handled";

    /// <summary>Minutes between two readings (60: hourly).</summary>
    [Range(1, 60)]
    public int IntervalMinutes { get; set; } = 5;

    /// <summary>Messages handled per reading at most; the rest wait for the next.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 500;
}
