namespace Newsletter.Tests.Bounces;

/// <summary>Delivery status notifications and abuse reports as relays and feedback loops write them, made for one delivery.</summary>
internal static class BounceReports
{
    /// <summary>An RFC 3464 report that one recipient failed (or was delayed), sent back to <paramref name="returnedTo"/>.</summary>
    public static string DeliveryStatus(string returnedTo, string recipient, string status, string messageId, string action = "failed") => $"""
        From: Mail Delivery System <MAILER-DAEMON@relay.example.net>
        To: {returnedTo}
        Subject: Undelivered Mail Returned to Sender
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="dsn"

        --dsn
        Content-Type: text/plain

        The mail system could not deliver your message.

        --dsn
        Content-Type: message/delivery-status

        Reporting-MTA: dns; relay.example.net

        Final-Recipient: rfc822; {recipient}
        Action: {action}
        Status: {status}
        Diagnostic-Code: smtp; {status[0]}50 {status} <{recipient}>: mailbox says no

        --dsn
        Content-Type: text/rfc822-headers

        To: {recipient}
        Message-ID: <{messageId}>

        --dsn--
        """;

    /// <summary>An RFC 5965 abuse report about the message, its envelope sender given when not redacted.</summary>
    public static string Complaint(string? mailFrom, string recipient, string messageId) => $"""
        From: fbl@isp.example.net
        To: {BouncesTestApp.BounceAddress}
        Subject: Abuse report
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=feedback-report; boundary="arf"

        --arf
        Content-Type: text/plain

        A reader marked this as spam.

        --arf
        Content-Type: message/feedback-report

        Feedback-Type: abuse
        User-Agent: TestFBL/1.0
        Version: 1
        {(mailFrom is null ? "" : $"Original-Mail-From: <{mailFrom}>")}

        --arf
        Content-Type: text/rfc822-headers

        To: {recipient}
        Message-ID: <{messageId}>

        --arf--
        """;
}
