using MailKit.Net.Smtp;
using MimeKit;

namespace Newsletter.Sending;

/// <summary>
/// MailKit's client without the per-message size measurement. When the server advertises SIZE, MailKit
/// writes every message once into a counting stream just to announce <c>SIZE=</c> on MAIL FROM, a whole
/// extra serialisation of a ~60 KB issue. The parameter is optional (RFC 1870: the server still enforces
/// its limit at the end of DATA) and our mail is 7-bit, so BDAT, which does need the size, is never chosen.
/// </summary>
public sealed class BulkSmtpClient : SmtpClient
{
    protected override long GetSize(FormatOptions options, MimeMessage message, CancellationToken cancellationToken) => -1;

    protected override Task<long> GetSizeAsync(FormatOptions options, MimeMessage message, CancellationToken cancellationToken) =>
        Task.FromResult(-1L);
}
