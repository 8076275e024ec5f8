using System.Text.RegularExpressions;
using MailKit.Net.Smtp;

namespace Newsletter.Sending;

/// <summary>What a relay's refusal of one message means for its reader and for the send.</summary>
public enum RelayVerdict
{
    /// <summary>Temporary (4xx): the reader is tried again later, and given up on after Sending:MaxAttempts.</summary>
    RetryLater,

    /// <summary>The address is bad (X.1.x): the delivery fails and the address is suppressed as a hard bounce.</summary>
    RecipientRejected,

    /// <summary>
    /// Permanent for this message to this mailbox (full, disabled, unroutable), with no proof that the address
    /// itself is bad: the delivery fails, nobody is suppressed.
    /// </summary>
    RecipientFailed,

    /// <summary>
    /// The relay refuses us, not the reader (X.7.x security or policy, our sender, our message, the protocol):
    /// every reader would meet the same answer, so the send pauses and the reader waits for the resume.
    /// </summary>
    SenderRefused,
}

/// <summary>
/// Sorts a refusal by its enhanced status code (RFC 3463: class.subject.detail), which says whose problem
/// it is; the three digits only say whether it is temporary. A permanent refusal without one is judged by
/// its words, and an address is only ever suppressed on clear evidence that it is bad.
/// </summary>
public static partial class RelayReply
{
    public static RelayVerdict Classify(SmtpCommandException refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return Classify((int)refusal.StatusCode, refusal.Message, refusal.ErrorCode);
    }

    /// <param name="statusCode">The reply's three digits.</param>
    /// <param name="text">The reply's text without the digits, lines joined by newlines, as MailKit gives it.</param>
    /// <param name="stage">Which command was refused: a refused MAIL FROM is always about us.</param>
    public static RelayVerdict Classify(int statusCode, string text, SmtpErrorCode stage)
    {
        if (statusCode is >= 400 and < 500)
            return RelayVerdict.RetryLater;
        // Anything but a 5xx is an answer no relay should give to a message (a 250 where 354 belongs, say).
        if (statusCode is < 500 or >= 600 || stage is SmtpErrorCode.SenderNotAccepted or SmtpErrorCode.UnexpectedStatusCode)
            return RelayVerdict.SenderRefused;

        return EnhancedCode(text) switch
        {
            // X.1.7 and X.1.8 are the sender's address; Postfix reports sender checks at RCPT as well.
            (1, 7 or 8) => RelayVerdict.SenderRefused,
            (1, _) when text.Contains("sender", StringComparison.OrdinalIgnoreCase) => RelayVerdict.SenderRefused,
            (1, _) => RelayVerdict.RecipientRejected,
            // Mailbox full, disabled or over its size limit: the mailbox exists and may take mail again.
            (2, _) => RelayVerdict.RecipientFailed,
            // The relay's own system (full, not accepting, message too big for it): the same for every reader.
            (3, _) => RelayVerdict.SenderRefused,
            // No route to the reader's domain, or it took too long.
            (4, _) => RelayVerdict.RecipientFailed,
            // Exchange's restricted groups and mailboxes (RESOLVER.RST, 5.7.133-136): a rule of that one recipient.
            (7, >= 133 and <= 136) => RelayVerdict.RecipientFailed,
            (7, _) when text.Contains("RESOLVER.RST.", StringComparison.OrdinalIgnoreCase) => RelayVerdict.RecipientFailed,
            // Outlook.com answers an unknown mailbox with 5.5.0 "mailbox unavailable", Postfix a malformed
            // address with 5.5.2 "Recipient address rejected": the reader's, though not proof enough to suppress.
            (5, _) when RecipientWords().IsMatch(text) => RelayVerdict.RecipientFailed,
            // X.5 protocol, X.6 content, X.7 security and policy: ours to fix.
            (5 or 6 or 7, _) => RelayVerdict.SenderRefused,
            (0, _) => ByWords(text),
            _ => RelayVerdict.RecipientFailed,
        };
    }

    /// <summary>
    /// The subject and detail of the enhanced code at the start of the reply (as RFC 2034 has it) or, as qmail
    /// writes it, in "(#5.1.1)" at the end; (0, 0) without one.
    /// </summary>
    public static (int Subject, int Detail) EnhancedCode(string text)
    {
        var match = LeadingCode().Match(text);
        if (!match.Success)
            match = QmailCode().Match(text);
        return match.Success
            ? (int.Parse(match.Groups["subject"].Value), int.Parse(match.Groups["detail"].Value))
            : (0, 0);
    }

    private static RelayVerdict ByWords(string text) =>
        PolicyWords().IsMatch(text) ? RelayVerdict.SenderRefused
        : UnknownAddressWords().IsMatch(text) ? RelayVerdict.RecipientRejected
        : RelayVerdict.RecipientFailed;

    [GeneratedRegex(@"^\s*[245]\.(?<subject>\d{1,3})\.(?<detail>\d{1,3})(?!\d)")]
    private static partial Regex LeadingCode();

    [GeneratedRegex(@"\(#[245]\.(?<subject>\d{1,3})\.(?<detail>\d{1,3})\)")]
    private static partial Regex QmailCode();

    [GeneratedRegex(@"relay|denied|block|black ?list|listed|spam|policy|reputation|authenticat|not permitted|not allowed|sender",
        RegexOptions.IgnoreCase)]
    private static partial Regex PolicyWords();

    [GeneratedRegex(@"user unknown|unknown user|no such (user|mailbox|recipient)|does ?n[o']t exist|doesn't have an? \S+ account|recipient (unknown|not found)|unknown recipient|invalid (recipient|mailbox)|mailbox not found|no mailbox here",
        RegexOptions.IgnoreCase)]
    private static partial Regex UnknownAddressWords();

    [GeneratedRegex(@"mailbox unavailable|recipient address|user unknown|unknown user|no such (user|mailbox|recipient)|does ?n[o']t exist",
        RegexOptions.IgnoreCase)]
    private static partial Regex RecipientWords();
}
