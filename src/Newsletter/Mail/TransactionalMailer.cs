using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Configuration;

namespace Newsletter.Mail;

/// <summary>
/// Sends one message over a fresh SMTP connection (connect, send, disconnect): right for the odd
/// confirmation or welcome mail, wrong for bulk sends, which keep pooled connections.
/// </summary>
public sealed class TransactionalMailer(IOptions<SmtpOptions> options)
{
    /// <exception cref="SmtpCommandException">The relay refused this message or recipient (4xx: try later; 5xx: permanent).</exception>
    /// <exception cref="SmtpProtocolException">The conversation broke; a retry starts a new connection.</exception>
    /// <exception cref="System.IO.IOException">The relay is unreachable.</exception>
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var smtp = options.Value;
        using var client = new SmtpClient { Timeout = smtp.TimeoutSeconds * 1000 };
        await client.ConnectAsync(smtp.Host, smtp.Port, smtp.ToMailKit(), cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(smtp.User))
            await client.AuthenticateAsync(smtp.User, smtp.Password ?? "", cancellationToken).ConfigureAwait(false);
        await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
        await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The relay refused the recipient for good (5xx): retrying cannot help, the address should be suppressed.</summary>
    public static bool IsPermanentRecipientFailure(SmtpCommandException exception) =>
        exception.ErrorCode == SmtpErrorCode.RecipientNotAccepted && (int)exception.StatusCode >= 500;
}
