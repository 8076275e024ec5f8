using System.Net.Sockets;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Newsletter.Configuration;
using Newsletter.Mail;
using Newsletter.Telemetry;

namespace Newsletter.Sending;

/// <summary>One long-lived SMTP connection. Not thread-safe: the pool hands it to one sender at a time.</summary>
public sealed class SmtpConnection(SmtpOptions options, NewsletterMetrics metrics) : IDisposable
{
    private static readonly TimeSpan IdleBeforeNoop = TimeSpan.FromSeconds(30);
    private readonly BulkSmtpClient _client = new() { Timeout = options.TimeoutSeconds * 1000 };
    private DateTime _lastUsed = DateTime.MinValue;
    private int _messages;
    private bool _connectedBefore;

    public bool IsConnected => _client.IsConnected;

    /// <summary>
    /// Connects if needed, recycles after the configured number of messages, and checks an idle
    /// connection with NOOP. Throws what MailKit throws when the relay cannot be reached.
    /// </summary>
    public async Task EnsureReadyAsync(CancellationToken cancellationToken = default)
    {
        var recycling = false;
        if (_client.IsConnected && _messages >= options.MessagesPerConnection)
        {
            await DisconnectAsync(cancellationToken);
            recycling = true;
        }

        if (_client.IsConnected && DateTime.UtcNow - _lastUsed > IdleBeforeNoop)
        {
            try
            {
                await _client.NoOpAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await DisconnectAsync(cancellationToken);
            }
        }

        if (_client.IsConnected)
            return;

        // MailKit's own connect leaves Nagle on, which stalls pipelined writes ~40 ms per message.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(options.Host, options.Port, cancellationToken);
            await _client.ConnectAsync(socket, options.Host, options.Port, options.ToMailKit(), cancellationToken);
        }
        catch (Exception e) when (e is SmtpCommandException or NotSupportedException or SslHandshakeException)
        {
            socket.Dispose();
            throw SessionRefused(e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        if (!string.IsNullOrEmpty(options.User))
            await _client.AuthenticateAsync(options.User, options.Password ?? "", cancellationToken);
        _messages = 0;
        if (_connectedBefore)
            metrics.Reconnected(recycling);
        _connectedBefore = true;
    }

    /// <summary>Sends one message; returns the server's reply to DATA.</summary>
    /// <param name="envelopeSender">The MAIL FROM (a VERP bounce address); null uses the message's From.</param>
    /// <exception cref="SmtpCommandException">The server refused this message or recipient; the connection is fine.</exception>
    public async Task<string> SendAsync(MimeMessage message, MailboxAddress? envelopeSender = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        _messages++;
        _lastUsed = DateTime.UtcNow;
        return envelopeSender is null
            ? await _client.SendAsync(message, cancellationToken)
            : await _client.SendAsync(message, envelopeSender, message.To.Mailboxes, cancellationToken);
    }

    /// <summary>
    /// The relay answered but no session came of it: turned away (a 421 greeting), or TLS could not be set up,
    /// which waiting will not mend. MailKit's own message on a failed handshake is a page about certificates.
    /// </summary>
    private SmtpRelayException SessionRefused(Exception e)
    {
        var relay = $"{options.Host}:{options.Port}";
        return e switch
        {
            SmtpCommandException refused => new SmtpRelayException(
                $"the relay at {relay} turned the connection away: {(int)refused.StatusCode} {refused.Message}", e),
            NotSupportedException => new SmtpRelayException(
                $"TLS could not be started with {relay} (Smtp:Security={options.Security}): {e.Message}", e) { Lasting = true },
            _ => new SmtpRelayException(
                $"the TLS handshake with {relay} failed (Smtp:Security={options.Security}): {(e.InnerException ?? e).Message}", e) { Lasting = true },
        };
    }

    public async Task DisconnectAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            if (_client.IsConnected)
                await _client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The connection is being dropped anyway; a failed QUIT changes nothing.
        }
    }

    public void Dispose() => _client.Dispose();
}
