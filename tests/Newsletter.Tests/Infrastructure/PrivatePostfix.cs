using System.Diagnostics;

namespace Newsletter.Tests.Infrastructure;

/// <summary>
/// Debian's Postfix as a private instance: its own configuration, queue and log in a temporary folder, its
/// master process run in the foreground as a child of the test (never <c>postfix start</c>, which would want
/// the system's <c>/etc/postfix/main.cf</c>). It accepts mail from loopback on <see cref="Port"/>, hands mail
/// for <c>localDomain</c> to an LMTP server (Dovecot) and everything else to one SMTP peer. Bounces and
/// retries are quick (1-2 s) so that a test sees the DSN at once.
/// </summary>
public sealed class PrivatePostfix : IAsyncDisposable
{
    private const string Daemons = "/usr/lib/postfix/sbin";
    private readonly string _folder;
    private Process? _master;

    private PrivatePostfix(string folder) => _folder = folder;

    public int Port { get; } = TestApp.FreePort();

    public string Log => File.Exists(Path.Combine(_folder, "maillog")) ? File.ReadAllText(Path.Combine(_folder, "maillog")) : "";

    /// <param name="localDomain">Mail for this domain goes to <paramref name="lmtpPort"/> (the bounce mailbox).</param>
    /// <param name="peerPort">Every other domain's mail goes to 127.0.0.1 on this port.</param>
    /// <exception cref="InvalidOperationException">Not root, postfix missing and not installable, or Postfix did not start.</exception>
    public static async Task<PrivatePostfix> StartAsync(string localDomain, int lmtpPort, int peerPort)
    {
        await MailServerProcess.RequireAsync("postfix");
        var postfix = new PrivatePostfix(Directory.CreateTempSubdirectory("newsletter-postfix").FullName);
        await postfix.RunAsync(localDomain, lmtpPort, peerPort);
        return postfix;
    }

    private async Task RunAsync(string localDomain, int lmtpPort, int peerPort)
    {
        string conf = Path.Combine(_folder, "conf"), queue = Path.Combine(_folder, "queue"), data = Path.Combine(_folder, "data");
        foreach (var folder in new[] { conf, queue, data })
            Directory.CreateDirectory(folder);
        await MailServerProcess.RunAsync("chmod", "755", _folder);
        await MailServerProcess.RunAsync("chown", "postfix", data);
        File.Copy("/etc/postfix/master.cf", Path.Combine(conf, "master.cf"));
        await File.WriteAllTextAsync(Path.Combine(conf, "main.cf"), $$"""
            compatibility_level = 3.6
            queue_directory = {{queue}}
            data_directory = {{data}}
            mail_owner = postfix
            setgid_group = postdrop
            myhostname = relay.bounce-test
            inet_interfaces = 127.0.0.1
            inet_protocols = ipv4
            mynetworks = 127.0.0.0/8
            mydestination =
            local_recipient_maps =
            alias_maps =
            alias_database =
            smtpd_relay_restrictions = permit_mynetworks, reject
            transport_maps = inline:{ {{localDomain}}=lmtp:inet:127.0.0.1:{{lmtpPort}} }
            default_transport = smtp:[127.0.0.1]:{{peerPort}}
            relay_transport = smtp:[127.0.0.1]:{{peerPort}}
            smtp_tls_security_level = none
            queue_run_delay = 1s
            minimal_backoff_time = 1s
            maximal_backoff_time = 2s
            in_flow_delay = 0
            maillog_file_prefixes = {{_folder}}
            maillog_file = {{_folder}}/maillog
            """);
        await MailServerProcess.RunAsync("postconf", "-c", conf, "-MX", "smtp/inet");
        await MailServerProcess.RunAsync("postconf", "-c", conf, "-M", $"{Port}/inet={Port} inet n - n - - smtpd");
        // No chroot: it would need copies of /etc files in the queue folder.
        await MailServerProcess.RunAsync("postconf", "-c", conf, "-F", "*/*/chroot = n");
        if (!File.ReadAllText(Path.Combine(conf, "master.cf")).Contains("\npostlog", StringComparison.Ordinal))
            await MailServerProcess.RunAsync("postconf", "-c", conf, "-M", "postlog/unix-dgram=postlog unix-dgram n - n - 1 postlogd");
        // The queue's folders with their owners and modes, as `postfix check` would make them for the system instance.
        await MailServerProcess.RunAsync($"{Daemons}/post-install", $"config_directory={conf}", "meta_directory=/etc/postfix",
            "command_directory=/usr/sbin", $"daemon_directory={Daemons}", $"queue_directory={queue}", $"data_directory={data}",
            "mail_owner=postfix", "setgid_group=postdrop", "create-missing");

        var start = new ProcessStartInfo($"{Daemons}/master") { UseShellExecute = false, WorkingDirectory = _folder };
        foreach (var argument in new[] { "-c", conf, "-d" })
            start.ArgumentList.Add(argument);
        _master = Process.Start(start)!;
        await MailServerProcess.WaitForPortAsync(Port, () => Log);
    }

    public async ValueTask DisposeAsync()
    {
        if (_master is { HasExited: false } master)
        {
            try
            {
                // TERM lets the master stop its children; a kill would leave them behind.
                await MailServerProcess.RunAsync("kill", "-TERM", master.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                await master.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                master.Kill(entireProcessTree: true);
            }
        }
        _master?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
