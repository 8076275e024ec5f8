using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Search;
using MailKit.Security;
using MimeKit;
using Newsletter.Configuration;

namespace Newsletter.Bounces;

/// <summary>
/// The bounce mailbox over IMAP or POP3 (MailKit). Each message is handed to a callback that says whether
/// it was handled: handled messages are moved to the handled folder (IMAP) or deleted (POP3); the rest stay.
/// </summary>
public sealed class BounceMailbox(BounceMailboxOptions options)
{
    /// <summary>
    /// Marks what the job could not read (out-of-office replies, human answers) so that it stays in the folder for a
    /// person to look at without filling every later batch: unmarked, a full batch of them would hide new bounces.
    /// </summary>
    public const string UnreadableKeyword = "NewsletterUnreadable";

    private string Host => options.Host ?? throw new InvalidOperationException("Newsletter:Bounces:Mailbox:Host is not set.");

    /// <param name="handle">True when the message was dealt with and may leave the mailbox.</param>
    public async Task<(int Handled, int Left)> ReadAsync(Func<MimeMessage, CancellationToken, Task<bool>> handle,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return options.Protocol == MailboxProtocol.Pop3
            ? await ReadPop3Async(handle, cancellationToken).ConfigureAwait(false)
            : await ReadImapAsync(handle, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(int, int)> ReadImapAsync(Func<MimeMessage, CancellationToken, Task<bool>> handle, CancellationToken cancellationToken = default)
    {
        using var client = new ImapClient();
        await client.ConnectAsync(Host, Port(993, 143), Security(993), cancellationToken).ConfigureAwait(false);
        await client.AuthenticateAsync(options.User ?? "", options.Password ?? "", cancellationToken).ConfigureAwait(false);
        var folder = await client.GetFolderAsync(options.Folder, cancellationToken).ConfigureAwait(false);
        await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken).ConfigureAwait(false);
        var handledFolder = await HandledFolderAsync(client, cancellationToken).ConfigureAwait(false);

        var uids = await folder.SearchAsync(SearchQuery.NotDeleted.And(SearchQuery.NotKeyword(UnreadableKeyword)), cancellationToken)
            .ConfigureAwait(false);
        var handled = new List<UniqueId>();
        var unreadable = new List<UniqueId>();
        foreach (var uid in uids.Take(options.BatchSize))
        {
            using var message = await folder.GetMessageAsync(uid, cancellationToken).ConfigureAwait(false);
            (await handle(message, cancellationToken).ConfigureAwait(false) ? handled : unreadable).Add(uid);
        }
        if (handled.Count > 0)
            await folder.MoveToAsync(handled, handledFolder, cancellationToken).ConfigureAwait(false);
        if (unreadable.Count > 0)
            await folder.AddFlagsAsync(unreadable, MessageFlags.None, new HashSet<string> { UnreadableKeyword }, silent: true, cancellationToken)
                .ConfigureAwait(false);
        var left = await folder.SearchAsync(SearchQuery.NotDeleted.And(SearchQuery.HasKeyword(UnreadableKeyword)), cancellationToken)
            .ConfigureAwait(false);
        await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
        return (handled.Count, left.Count);
    }

    private async Task<IMailFolder> HandledFolderAsync(ImapClient client, CancellationToken cancellationToken = default)
    {
        try
        {
            return await client.GetFolderAsync(options.HandledFolder, cancellationToken).ConfigureAwait(false);
        }
        catch (FolderNotFoundException)
        {
            var root = client.GetFolder(client.PersonalNamespaces[0]);
            return await root.CreateAsync(options.HandledFolder, isMessageFolder: true, cancellationToken).ConfigureAwait(false)
                   ?? throw new InvalidOperationException($"The IMAP server did not create the folder {options.HandledFolder}.");
        }
    }

    private async Task<(int, int)> ReadPop3Async(Func<MimeMessage, CancellationToken, Task<bool>> handle, CancellationToken cancellationToken = default)
    {
        using var client = new Pop3Client();
        await client.ConnectAsync(Host, Port(995, 110), Security(995), cancellationToken).ConfigureAwait(false);
        await client.AuthenticateAsync(options.User ?? "", options.Password ?? "", cancellationToken).ConfigureAwait(false);
        var count = Math.Min(await client.GetMessageCountAsync(cancellationToken).ConfigureAwait(false), options.BatchSize);
        var (handled, left) = (0, 0);
        for (var index = 0; index < count; index++)
        {
            using var message = await client.GetMessageAsync(index, cancellationToken).ConfigureAwait(false);
            if (await handle(message, cancellationToken).ConfigureAwait(false))
            {
                await client.DeleteMessageAsync(index, cancellationToken).ConfigureAwait(false);
                handled++;
            }
            else
            {
                left++;
            }
        }
        // Deletions take effect at QUIT only; a reading cut short deletes nothing, and the next one sees it all again.
        await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
        return (handled, left);
    }

    private int Port(int tls, int plain) => options.Port != 0 ? options.Port : Security(tls) == SecureSocketOptions.SslOnConnect ? tls : plain;

    /// <summary>As for the relay: Auto with a password requires TLS, so that it never goes in clear.</summary>
    private SecureSocketOptions Security(int tlsPort) => options.Security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ when options.Port == tlsPort => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };
}
