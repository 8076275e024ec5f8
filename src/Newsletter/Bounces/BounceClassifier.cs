using System.Text.RegularExpressions;
using MimeKit;

namespace Newsletter.Bounces;

/// <summary>
/// Reads a message from the bounce mailbox: a delivery status notification (RFC 3464), an abuse report
/// (ARF, RFC 5965), or one of the plain-text bounces some relays still write (<see cref="PlainTextBounce"/>).
/// Finds what ties it to a delivery: the VERP token of the address it came back to, or the Message-ID of
/// the returned message. Never throws on a malformed message: it is <see cref="BounceKind.Unreadable"/>.
/// </summary>
public sealed partial class BounceClassifier
{
    // Where a relay or the final MTA leaves the envelope recipient of the report, i.e. our VERP address.
    private static readonly string[] AddressHeaders =
        ["Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "To", "Return-Path"];

    private readonly Regex? _verp;

    /// <param name="bounceAddress">The VERP base address (<c>bounces@example.com</c>); null when not used.</param>
    public BounceClassifier(string? bounceAddress)
    {
        if (string.IsNullOrEmpty(bounceAddress))
            return;
        var at = bounceAddress.LastIndexOf('@');
        _verp = new Regex(
            $@"(?i:{Regex.Escape(bounceAddress[..at])})\+([A-Za-z0-9_\-]+)@(?i:{Regex.Escape(bounceAddress[(at + 1)..])})",
            RegexOptions.CultureInvariant);
    }

    public BounceReport Classify(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            var report = FindReport(message.Body) is { } multipart ? FromReport(multipart) : PlainTextBounce.Read(message);
            if (report.Kind is BounceKind.Unreadable or BounceKind.NoAction)
                return report;
            return report with { VerpToken = report.VerpToken ?? VerpTokenIn(message) };
        }
        catch (Exception e) when (e is FormatException or ParseException or InvalidOperationException or ArgumentException)
        {
            return BounceReport.Unreadable;
        }
    }

    private static MultipartReport? FindReport(MimeEntity? body) => body switch
    {
        MultipartReport report => report,
        // Some gateways wrap the report in a multipart/mixed with a banner.
        Multipart mixed => mixed.OfType<MultipartReport>().FirstOrDefault(),
        _ => null,
    };

    private BounceReport FromReport(MultipartReport report)
    {
        var returned = ReturnedHeaders(report);
        if (report.OfType<MessageDeliveryStatus>().FirstOrDefault() is { } status)
            return FromDeliveryStatus(status) with { OriginalMessageId = returned?.MessageId };
        if (report.OfType<MessageFeedbackReport>().FirstOrDefault() is { } feedback)
            return FromFeedback(feedback, returned);
        return BounceReport.Unreadable;
    }

    /// <summary>The first recipient that failed, else the first delayed, else whatever the report says of the first.</summary>
    private static BounceReport FromDeliveryStatus(MessageDeliveryStatus status)
    {
        // Group 0 is about the message; each later group is about one recipient.
        var recipients = status.StatusGroups.Skip(1).ToList();
        var chosen = recipients.FirstOrDefault(g => ActionOf(g) == "failed")
                     ?? recipients.FirstOrDefault(g => ActionOf(g) == "delayed")
                     ?? recipients.FirstOrDefault();
        if (chosen is null)
            return BounceReport.Unreadable;
        var code = StatusCodeIn(chosen["Status"]);
        var kind = ActionOf(chosen) switch
        {
            // A 4.x.x that failed is a relay giving up after its retries: still temporary for the mailbox.
            "failed" => BounceReport.KindOf(code) == BounceKind.Soft ? BounceKind.Soft : BounceKind.Hard,
            "delayed" => BounceKind.Soft,
            "delivered" or "relayed" or "expanded" => BounceKind.NoAction,
            _ => BounceReport.KindOf(code),
        };
        var recipient = AddressOf(chosen["Final-Recipient"]) ?? AddressOf(chosen["Original-Recipient"]);
        if (kind is BounceKind.Hard or BounceKind.Soft && recipient is null)
            return BounceReport.Unreadable;
        return new BounceReport(kind, recipient, code, TypedValue(chosen["Diagnostic-Code"]));
    }

    private BounceReport FromFeedback(MessageFeedbackReport feedback, MimeMessage? returned)
    {
        var type = feedback.Fields["Feedback-Type"]?.Trim().ToLowerInvariant();
        if (type is not ("abuse" or "fraud"))
            return type is null ? BounceReport.Unreadable : new BounceReport(BounceKind.NoAction);
        // Providers often redact the complainant (RFC 6590); the returned message still says who it went to.
        var recipient = AddressOf(feedback.Fields["Original-Rcpt-To"])
                        ?? returned?.To.Mailboxes.FirstOrDefault()?.Address;
        var token = _verp?.Match(feedback.Fields["Original-Mail-From"] ?? "") is { Success: true } m ? m.Groups[1].Value : null;
        return new BounceReport(BounceKind.Complaint, recipient, null, $"feedback-type {type}", token, returned?.MessageId);
    }

    /// <summary>The headers of the message a report returns (text/rfc822-headers or the whole message/rfc822).</summary>
    internal static MimeMessage? ReturnedHeaders(Multipart parts) =>
        parts.OfType<MessagePart>().Select(p => p.Message).FirstOrDefault(m => m is not null);

    private string? VerpTokenIn(MimeMessage message)
    {
        if (_verp is null)
            return null;
        foreach (var name in AddressHeaders)
        {
            foreach (var header in message.Headers.Where(h => h.Field.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                if (_verp.Match(header.Value) is { Success: true } match)
                    return match.Groups[1].Value;
            }
        }
        return null;
    }

    private static string? ActionOf(HeaderList group) => group["Action"]?.Trim().ToLowerInvariant();

    /// <summary>The enhanced status code of a Status field, without the comment some MTAs add ("5.1.1 (bad mailbox)").</summary>
    internal static string? StatusCodeIn(string? text) =>
        text is not null && StatusCode().Match(text) is { Success: true } match ? match.Value : null;

    /// <summary>The address of a typed field, <c>rfc822; ann@example.com</c>.</summary>
    private static string? AddressOf(string? field)
    {
        var value = TypedValue(field)?.Trim('<', '>', ' ');
        return value is not null && value.Contains('@') ? value : null;
    }

    private static string? TypedValue(string? field)
    {
        if (string.IsNullOrWhiteSpace(field))
            return null;
        var semicolon = field.IndexOf(';');
        var value = (semicolon >= 0 ? field[(semicolon + 1)..] : field).Trim();
        // Folded lines of a long diagnostic come back with their line breaks.
        return value.Length == 0 ? null : Whitespace().Replace(value, " ");
    }

    [GeneratedRegex(@"\b[245]\.\d{1,3}\.\d{1,3}\b", RegexOptions.CultureInvariant)]
    private static partial Regex StatusCode();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();
}
