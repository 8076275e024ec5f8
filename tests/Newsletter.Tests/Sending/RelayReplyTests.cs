using MailKit.Net.Smtp;
using Newsletter.Sending;

namespace Newsletter.Tests.Sending;

/// <summary>Refusals as real relays and mailbox providers word them, and what each must do to the reader and the send.</summary>
public sealed class RelayReplyTests
{
    private const SmtpErrorCode Rcpt = SmtpErrorCode.RecipientNotAccepted;
    private const SmtpErrorCode Mail = SmtpErrorCode.SenderNotAccepted;
    private const SmtpErrorCode Data = SmtpErrorCode.MessageNotAccepted;

    [Theory]
    // Gmail
    [InlineData("550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n550-5.1.1 double-checking the recipient's email address for typos or\r\n550 5.1.1 unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser", Rcpt, RelayVerdict.RecipientRejected)]
    [InlineData("550 5.2.1 The email account that you tried to reach is disabled. https://support.google.com/mail/?p=DisabledUser", Rcpt, RelayVerdict.RecipientFailed)]
    [InlineData("552 5.2.2 The email account that you tried to reach is over quota. https://support.google.com/mail/?p=OverQuotaPerm", Rcpt, RelayVerdict.RecipientFailed)]
    [InlineData("450 4.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered.", Rcpt, RelayVerdict.RetryLater)]
    [InlineData("421 4.7.0 [192.0.2.1] Our system has detected an unusual rate of unsolicited mail originating from your IP address.", Rcpt, RelayVerdict.RetryLater)]
    [InlineData("550-5.7.1 [192.0.2.1] Our system has detected an unusual rate of\r\n550 5.7.1 unsolicited mail originating from your IP address.", Rcpt, RelayVerdict.SenderRefused)]
    [InlineData("550 5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM.", Data, RelayVerdict.SenderRefused)]
    [InlineData("552 5.3.4 Your message exceeded Google's message size limits.", Data, RelayVerdict.SenderRefused)]
    [InlineData("554 5.6.0 Mail message is malformed. Not accepted.", Data, RelayVerdict.SenderRefused)]
    // Outlook.com and Exchange Online
    [InlineData("550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). [AM1EUR02FT004.eop-EUR02.prod.protection.outlook.com]", Rcpt, RelayVerdict.RecipientFailed)]
    [InlineData("550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup", Rcpt, RelayVerdict.RecipientRejected)]
    [InlineData("550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [DB5EUR03FT040.eop-EUR03.prod.protection.outlook.com]", Rcpt, RelayVerdict.RecipientFailed)]
    [InlineData("550 5.7.133 RESOLVER.RST.SenderNotAuthenticatedForGroup; authentication required; Delivery restriction check failed", Rcpt, RelayVerdict.RecipientFailed)]
    [InlineData("550 5.7.1 RESOLVER.RST.NotAuthorized; not authorized", Rcpt, RelayVerdict.RecipientFailed)]
    [InlineData("550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3140).", Rcpt, RelayVerdict.SenderRefused)]
    [InlineData("550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.", Mail, RelayVerdict.SenderRefused)]
    [InlineData("550 5.7.509 Access denied, sending domain example.com does not pass DMARC verification and has a DMARC policy of reject.", Data, RelayVerdict.SenderRefused)]
    [InlineData("451 4.7.500 Server busy. Please try again later from [192.0.2.1]. (S77714)", Rcpt, RelayVerdict.RetryLater)]
    [InlineData("452 4.5.3 Too many recipients", Rcpt, RelayVerdict.RetryLater)]
    // Yahoo
    [InlineData("554 5.7.9 Message not accepted for policy reasons. See https://postmaster.yahooinc.com/error-codes", Data, RelayVerdict.SenderRefused)]
    [InlineData("421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints", Mail, RelayVerdict.RetryLater)]
    [InlineData("554 delivery error: dd This user doesn't have a yahoo.com account (someone@yahoo.com) [0] - mta1234.mail.gq1.yahoo.com", Rcpt, RelayVerdict.RecipientRejected)]
    // Postfix
    [InlineData("550 5.1.1 <a@example.com>: Recipient address rejected: User unknown in local recipient table", Rcpt, RelayVerdict.RecipientRejected)]
    [InlineData("501 5.1.3 Bad recipient address syntax", Rcpt, RelayVerdict.RecipientRejected)]
    [InlineData("554 5.7.1 <a@example.com>: Relay access denied", Rcpt, RelayVerdict.SenderRefused)]
    [InlineData("554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org", Rcpt, RelayVerdict.SenderRefused)]
    [InlineData("553 5.1.8 <news@nowhere.invalid>: Sender address rejected: Domain not found", Rcpt, RelayVerdict.SenderRefused)]
    [InlineData("550 5.1.0 <news@example.com>: Sender address rejected: User unknown in local recipient table", Rcpt, RelayVerdict.SenderRefused)]
    [InlineData("504 5.5.2 <a>: Recipient address rejected: need fully-qualified address", Rcpt, RelayVerdict.RecipientFailed)]
    [InlineData("450 4.2.0 <a@example.com>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.com.html", Rcpt, RelayVerdict.RetryLater)]
    [InlineData("452 4.3.1 Insufficient system storage", Mail, RelayVerdict.RetryLater)]
    [InlineData("530 5.7.0 Must issue a STARTTLS command first", Mail, RelayVerdict.SenderRefused)]
    [InlineData("550 5.7.1 Message rejected as spam by Content Filtering.", Data, RelayVerdict.SenderRefused)]
    [InlineData("552 5.2.2 <a@example.com>: Recipient address rejected: Mailbox full", Rcpt, RelayVerdict.RecipientFailed)]
    [InlineData("550 5.4.4 Unable to route: no mail hosts for domain", Rcpt, RelayVerdict.RecipientFailed)]
    // qmail, Exim, replies without an enhanced code
    [InlineData("553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)", Rcpt, RelayVerdict.SenderRefused)]
    [InlineData("550 sorry, no mailbox here by that name. (#5.1.1)", Rcpt, RelayVerdict.RecipientRejected)]
    [InlineData("550 relay not permitted", Rcpt, RelayVerdict.SenderRefused)]
    [InlineData("550 Unrouteable address", Rcpt, RelayVerdict.RecipientFailed)]
    [InlineData("550 No such user here", Rcpt, RelayVerdict.RecipientRejected)]
    [InlineData("550 Requested action not taken: mailbox unavailable", Rcpt, RelayVerdict.RecipientFailed)]
    [InlineData("554 Transaction failed", Data, RelayVerdict.RecipientFailed)]
    [InlineData("550 5.0.0 Access denied", Rcpt, RelayVerdict.SenderRefused)]
    // Whatever the words, a refused MAIL FROM is about us, and so is a 250 where a refusal or 354 belongs.
    [InlineData("550 5.1.1 <news@example.com>: Sender address rejected: User unknown", Mail, RelayVerdict.SenderRefused)]
    [InlineData("550 No such user here", Mail, RelayVerdict.SenderRefused)]
    [InlineData("250 2.0.0 Ok", SmtpErrorCode.UnexpectedStatusCode, RelayVerdict.SenderRefused)]
    public void RefusalIsSortedByWhoseProblemItIs(string reply, SmtpErrorCode stage, RelayVerdict expected)
    {
        var (code, text) = AsMailKitGivesIt(reply);

        Assert.Equal(expected, RelayReply.Classify(code, text, stage));
    }

    [Fact]
    public void EveryTemporaryReplyIsRetriedWhateverItsEnhancedCode()
    {
        foreach (var enhanced in new[] { "4.1.1", "4.2.2", "4.3.2", "4.4.1", "4.5.3", "4.7.1", "5.1.1", "", "4.7.26" })
            foreach (var stage in new[] { Rcpt, Mail, Data })
                Assert.Equal(RelayVerdict.RetryLater, RelayReply.Classify(451, $"{enhanced} Try again later".Trim(), stage));
    }

    [Theory]
    [InlineData("5.1.1 The email account that you tried to reach does not exist.", 1, 1)]
    [InlineData("5.1.10 RESOLVER.ADR.RecipientNotFound", 1, 10)]
    [InlineData("5.7.133 RESOLVER.RST.SenderNotAuthenticatedForGroup", 7, 133)]
    [InlineData("4.2.0 <a@example.com>: Recipient address rejected", 2, 0)]
    [InlineData("sorry, no mailbox here by that name. (#5.1.1)", 1, 1)]
    [InlineData("Requested action not taken: mailbox unavailable", 0, 0)]
    [InlineData("version 5.1.1 of the filter said no", 0, 0)]
    [InlineData("5.1.1234 not a code", 0, 0)]
    public void EnhancedCodeIsReadFromTheStartOrFromQmailsSuffix(string text, int subject, int detail)
    {
        Assert.Equal((subject, detail), RelayReply.EnhancedCode(text));
    }

    /// <summary>The three digits, and the text of every line without them, joined by newlines (MailKit's SmtpResponse).</summary>
    private static (int Code, string Text) AsMailKitGivesIt(string reply)
    {
        var lines = reply.Split("\r\n");
        return (int.Parse(reply[..3]), string.Join('\n', lines.Select(line => line[4..])));
    }
}
