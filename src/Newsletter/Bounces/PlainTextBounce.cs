using System.Text.RegularExpressions;
using MimeKit;

namespace Newsletter.Bounces;

/// <summary>
/// Bounces written for people rather than programs: an Exchange-style "Delivery has failed to these
/// recipients" notice, a Gmail-style "Address not found", a qmail "failure notice". Trusted only when the
/// message comes from a mailer daemon or says so in its subject, and only with an enhanced status code in
/// its text: a reply that merely quotes an address and a number must not suppress anyone.
/// </summary>
internal static partial class PlainTextBounce
{
    public static BounceReport Read(MimeMessage message)
    {
        if (!FromMailerDaemon(message) && !BounceSubject().IsMatch(message.Subject ?? ""))
            return BounceReport.Unreadable;
        var text = message.TextBody;
        if (string.IsNullOrEmpty(text))
            return BounceReport.Unreadable;
        var reply = SmtpReply().Match(text);
        if (!reply.Success)
            return BounceReport.Unreadable;
        var kind = BounceReport.KindOf(reply.Groups["status"].Value);
        if (kind is not (BounceKind.Hard or BounceKind.Soft))
            return BounceReport.Unreadable;
        // The failed address is named before the relay's reply; addresses after it belong to the returned message.
        var recipient = Address().Matches(text[..reply.Index]).Select(m => m.Value)
            .FirstOrDefault(a => !IsDaemon(a));
        if (recipient is null)
            return BounceReport.Unreadable;
        return new BounceReport(kind, recipient, reply.Groups["status"].Value, reply.Value.Trim(),
            OriginalMessageId: OriginalMessageId(message, text));
    }

    private static bool FromMailerDaemon(MimeMessage message) =>
        message.From.Mailboxes.Any(m => IsDaemon(m.Address));

    private static bool IsDaemon(string address) =>
        address.StartsWith("mailer-daemon@", StringComparison.OrdinalIgnoreCase)
        || address.StartsWith("postmaster@", StringComparison.OrdinalIgnoreCase);

    /// <summary>From an attached copy of the message, else from its headers quoted in the text.</summary>
    private static string? OriginalMessageId(MimeMessage message, string text)
    {
        if (message.Body is Multipart parts && BounceClassifier.ReturnedHeaders(parts)?.MessageId is { } attached)
            return attached;
        return QuotedMessageId().Match(text) is { Success: true } quoted ? quoted.Groups[1].Value : null;
    }

    [GeneratedRegex(@"undeliver|delivery (status notification|has failed|failure)|returned mail|failure notice|mail delivery failed",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BounceSubject();

    // "550 5.1.1 …", "550-5.1.1 …", "#5.1.1": the reply's enhanced code, up to the end of its line.
    [GeneratedRegex(@"(?:\b[245]\d\d[ \-]|#)(?<status>[245]\.\d{1,3}\.\d{1,3})\b[^\r\n]*", RegexOptions.CultureInvariant)]
    private static partial Regex SmtpReply();

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+", RegexOptions.CultureInvariant)]
    private static partial Regex Address();

    [GeneratedRegex(@"^\s*Message-ID:\s*<([^>\r\n]+)>", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex QuotedMessageId();
}
