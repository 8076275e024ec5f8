using SmtpServer.Protocol;
using Newsletter.Tests.Infrastructure;

namespace Newsletter.Tests.Bounces;

/// <summary>
/// The app sending through a private Postfix whose only way out is the test's SMTP peer, which refuses every
/// address containing <c>gone</c> after Postfix has queued the message; Postfix's DSNs to the VERP address go
/// by LMTP to a private Dovecot, which the app's mailbox job reads over IMAP.
/// </summary>
public sealed class PostfixBouncesApp : BouncesTestApp
{
    public PrivateDovecot Dovecot { get; private set; } = null!;

    public PrivatePostfix Postfix { get; private set; } = null!;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        .. base.Settings,
        new("Newsletter:Smtp:Port", Postfix.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Newsletter:Bounces:Mailbox:Host", "127.0.0.1"),
        new("Newsletter:Bounces:Mailbox:Port", Dovecot.ImapPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Newsletter:Bounces:Mailbox:Security", "None"),
        new("Newsletter:Bounces:Mailbox:User", PrivateDovecot.User),
        new("Newsletter:Bounces:Mailbox:Password", PrivateDovecot.Password),
    ];

    public override async Task InitializeAsync()
    {
        Dovecot = await PrivateDovecot.StartAsync();
        Postfix = await PrivatePostfix.StartAsync("example.com", Dovecot.LmtpPort, Smtp.Port);
        Smtp.RecipientRule = (address, _) => address.Contains("gone", StringComparison.Ordinal)
            ? new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "5.1.1 no such mailbox here")
            : null;
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Postfix is not null)
            await Postfix.DisposeAsync();
        if (Dovecot is not null)
            await Dovecot.DisposeAsync();
    }
}
