using System.Diagnostics;
using MailKit;
using MailKit.Net.Imap;
using MimeKit;

namespace Newsletter.Tests.Infrastructure;

/// <summary>
/// Debian's Dovecot with a configuration of its own in a temporary folder: IMAP, LMTP (and POP3 when asked) on
/// free loopback ports, one user (<see cref="User"/>, password <see cref="Password"/>) whose mail is a Maildir there, stored
/// as <c>nobody</c>. LMTP takes <c>bounces+anything@…</c> for that user. Never touches a system-wide Dovecot.
/// </summary>
public sealed class PrivateDovecot : IAsyncDisposable
{
    public const string User = "bounces";
    public const string Password = "dovecot-test-password";

    private readonly string _folder;
    private readonly string _config;
    private Process? _process;

    private PrivateDovecot(string folder)
    {
        _folder = folder;
        _config = Path.Combine(folder, "dovecot.conf");
    }

    public int ImapPort { get; } = TestApp.FreePort();

    public int LmtpPort { get; } = TestApp.FreePort();

    public int Pop3Port { get; } = TestApp.FreePort();

    public string Log => File.Exists(Path.Combine(_folder, "dovecot.log")) ? File.ReadAllText(Path.Combine(_folder, "dovecot.log")) : "";

    /// <exception cref="InvalidOperationException">Not root, dovecot-imapd missing and not installable, or Dovecot did not start.</exception>
    public static async Task<PrivateDovecot> StartAsync(bool pop3 = false)
    {
        await MailServerProcess.RequireAsync("dovecot-imapd");
        await MailServerProcess.RequireAsync("dovecot-lmtpd");
        if (pop3)
            await MailServerProcess.RequireAsync("dovecot-pop3d");
        // Under /tmp, not a 0700 home: Dovecot's processes run as nobody and must reach the mail.
        var dovecot = new PrivateDovecot(Directory.CreateTempSubdirectory("newsletter-dovecot").FullName);
        await dovecot.RunAsync(pop3);
        return dovecot;
    }

    private async Task RunAsync(bool pop3)
    {
        var mail = Path.Combine(_folder, "mail");
        Directory.CreateDirectory(mail);
        Directory.CreateDirectory(Path.Combine(_folder, "run"));
        Directory.CreateDirectory(Path.Combine(_folder, "state"));
        await MailServerProcess.RunAsync("chmod", "755", _folder);
        await MailServerProcess.RunAsync("chown", "nobody:nogroup", mail);
        await File.WriteAllTextAsync(Path.Combine(_folder, "passwd"), $"{User}:{{PLAIN}}{Password}\n");
        await File.WriteAllTextAsync(_config, $$"""
            base_dir = {{_folder}}/run
            state_dir = {{_folder}}/state
            log_path = {{_folder}}/dovecot.log
            protocols = imap lmtp{{(pop3 ? " pop3" : "")}}
            listen = 127.0.0.1
            ssl = no
            disable_plaintext_auth = no
            auth_mechanisms = plain
            auth_username_format = %n
            mail_location = maildir:{{mail}}/%n
            recipient_delimiter = +
            lmtp_save_to_detail_mailbox = no
            passdb {
              driver = passwd-file
              args = {{_folder}}/passwd
            }
            userdb {
              driver = static
              args = uid=nobody gid=nogroup home={{mail}}/%n
            }
            service imap-login {
              inet_listener imap {
                address = 127.0.0.1
                port = {{ImapPort}}
              }
              inet_listener imaps {
                port = 0
              }
            }
            service lmtp {
              inet_listener lmtp {
                address = 127.0.0.1
                port = {{LmtpPort}}
              }
            }
            service pop3-login {
              inet_listener pop3 {
                address = 127.0.0.1
                port = {{Pop3Port}}
              }
              inet_listener pop3s {
                port = 0
              }
            }
            """);
        var start = new ProcessStartInfo("dovecot") { UseShellExecute = false };
        foreach (var argument in new[] { "-F", "-c", _config })
            start.ArgumentList.Add(argument);
        _process = Process.Start(start)!;
        await MailServerProcess.WaitForPortAsync(ImapPort, () => Log);
        await MailServerProcess.WaitForPortAsync(LmtpPort, () => Log);
        if (pop3)
            await MailServerProcess.WaitForPortAsync(Pop3Port, () => Log);
    }

    /// <summary>A signed-in IMAP client, for putting messages into the mailbox and looking at its folders.</summary>
    public async Task<ImapClient> ConnectAsync()
    {
        var client = new ImapClient();
        await client.ConnectAsync("127.0.0.1", ImapPort, MailKit.Security.SecureSocketOptions.None);
        await client.AuthenticateAsync(User, Password);
        return client;
    }

    /// <summary>Messages in a folder; 0 when it does not exist.</summary>
    public async Task<int> CountAsync(string folderName)
    {
        using var client = await ConnectAsync();
        try
        {
            var folder = await client.GetFolderAsync(folderName);
            await folder.OpenAsync(FolderAccess.ReadOnly);
            return folder.Count;
        }
        catch (FolderNotFoundException)
        {
            return 0;
        }
    }

    /// <summary>Puts a message into the inbox, as a delivery would.</summary>
    public async Task AppendAsync(MimeMessage message)
    {
        using var client = await ConnectAsync();
        await client.Inbox.AppendAsync(message);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            try
            {
                await MailServerProcess.RunAsync("dovecot", "-c", _config, "stop");
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        _process?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
