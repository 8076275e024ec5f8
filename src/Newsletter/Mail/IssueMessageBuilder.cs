using System.Text;
using CommunityToolkit.HighPerformance.Buffers;
using MimeKit;
using MimeKit.Utils;
using Newsletter.Configuration;
using Newsletter.Content;
using Newsletter.Rendering;

namespace Newsletter.Mail;

/// <summary>
/// The one place every outgoing message is built (issues in bulk, test copies, previews, confirmation and
/// welcome mails): one recipient's personalised mail becomes a MIME message with the headers list mail
/// needs (List-Id, List-Unsubscribe and the RFC 8058 one-click List-Unsubscribe-Post), a
/// multipart/alternative body (text first, HTML last, as clients prefer the last part they can show), and
/// a DKIM signature when one is configured, added last. Stateless and thread-safe.
/// </summary>
public sealed class IssueMessageBuilder
{
    private readonly NewsletterOptions _options;
    private readonly MailboxAddress _from;
    private readonly MailboxAddress? _replyTo;
    private readonly string _listId;
    private readonly string _domain;
    private readonly DkimSigning? _dkim;

    /// <param name="dkim">Signs every message built; null sends them unsigned.</param>
    public IssueMessageBuilder(NewsletterOptions options, DkimSigning? dkim = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _dkim = dkim;
        _from = new MailboxAddress(options.Sender.Name, options.Sender.Address);
        _replyTo = string.IsNullOrWhiteSpace(options.Sender.ReplyTo) ? null : MailboxAddress.Parse(options.Sender.ReplyTo);
        _domain = DomainOf(options.Sender.Address);
        _listId = $"\"{options.Name.Replace("\"", "", StringComparison.Ordinal)}\" <{TextSlug.From(options.Name, 40)}.{_domain}>";
    }

    /// <summary>The List-Id header value, e.g. <c>"Weekly" &lt;weekly.example.com&gt;</c>.</summary>
    public string ListId => _listId;

    /// <summary>The sender address's domain, which Message-IDs end in.</summary>
    public string Domain => _domain;

    /// <summary>Builds one recipient's message from a mail personalised as strings.</summary>
    /// <param name="messageId">
    /// Without angle brackets; pass one derived from the delivery so a retried send reuses it. Generated when null.
    /// </param>
    /// <param name="date">The Date header; now when null.</param>
    /// <param name="bulk">True for list mail (issues, welcome); false for transactional mail such as the confirmation.</param>
    public MimeMessage Build(
        PersonalizedMail mail,
        MessageRecipient recipient,
        string? messageId = null,
        DateTimeOffset? date = null,
        bool bulk = true)
    {
        ArgumentNullException.ThrowIfNull(mail);
        return Build(mail.Subject, StringPart("plain", mail.Text), StringPart("html", mail.Html), recipient, messageId, date, bulk);
    }

    /// <summary>
    /// Builds one recipient's message straight from the send's <see cref="Personalizer"/>: the parts are
    /// written already quoted-printable encoded, mostly from text encoded once per send, and go out as they
    /// are (<see cref="PreEncodedPart"/>: no per-recipient strings, no encoding or filtering of the body on
    /// every write or DKIM hash). This is the path for sending at volume. Dispose the message once sent: its
    /// parts' buffers are pooled.
    /// </summary>
    public MimeMessage Build(
        Personalizer personalizer,
        MergeValues values,
        MessageRecipient recipient,
        string? messageId = null,
        DateTimeOffset? date = null,
        bool bulk = true)
    {
        ArgumentNullException.ThrowIfNull(personalizer);
        ArgumentNullException.ThrowIfNull(values);
        var text = new ArrayPoolBufferWriter<byte>(personalizer.TextSizeHint);
        personalizer.WriteText(values, text);
        var html = new ArrayPoolBufferWriter<byte>(personalizer.HtmlSizeHint);
        personalizer.WriteHtml(values, html);
        return Build(personalizer.Subject(values), new PreEncodedPart("plain", text), new PreEncodedPart("html", html),
            recipient, messageId, date, bulk);
    }

    private MimeMessage Build(
        string subject, MimeEntity text, MimeEntity html, MessageRecipient recipient, string? messageId, DateTimeOffset? date, bool bulk)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        var message = new MimeMessage();
        // A fresh address per message: an address list subscribes to its addresses' Changed event, so one
        // shared instance would keep every message ever built alive (measured: ~72 KB per recipient).
        message.From.Add(new MailboxAddress(_from.Name, _from.Address));
        message.To.Add(new MailboxAddress(recipient.Name ?? "", recipient.Email));
        if (_replyTo is not null)
        {
            message.ReplyTo.Add(new MailboxAddress(_replyTo.Name, _replyTo.Address));
        }

        message.Subject = subject;
        message.Date = date ?? DateTimeOffset.UtcNow;
        message.MessageId = messageId ?? MimeUtils.GenerateMessageId(_domain);
        if (bulk)
        {
            AddListHeaders(message, recipient);
        }

        message.Body = new MultipartAlternative { text, html };
        _dkim?.Sign(message);
        return message;
    }

    private void AddListHeaders(MimeMessage message, MessageRecipient recipient)
    {
        message.Headers.Add("List-Id", _listId);
        if (!string.IsNullOrEmpty(recipient.UnsubscribeUrl))
        {
            message.Headers.Add("List-Unsubscribe", $"<{recipient.UnsubscribeUrl}>");
        }

        // RFC 8058 wants an https target; mailbox providers ignore http ones, which local setups use, so
        // the header is added for both rather than making a local preview differ from production.
        if (recipient.UnsubscribeUrl?.StartsWith("http", StringComparison.OrdinalIgnoreCase) == true)
        {
            message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }

        message.Headers.Add("Precedence", "bulk");
        message.Headers.Add("List-Archive", $"<{_options.PublicUrl.TrimEnd('/')}/archive>");
    }

    private static TextPart StringPart(string subtype, string content)
    {
        var part = new TextPart(subtype) { ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        part.SetText(Encoding.UTF8, content);
        return part;
    }

    private static string DomainOf(string address)
    {
        var at = address.LastIndexOf('@');
        return at >= 0 && at < address.Length - 1 ? address[(at + 1)..] : "localhost";
    }
}
