using System.Buffers;
using System.Net;

namespace Newsletter.Rendering;

/// <summary>
/// Fills a <see cref="RenderedMail"/>'s merge tokens for one recipient. Create one per send (it cuts the
/// mail at its tokens once), then call <see cref="Personalize"/> per recipient from any thread.
/// Values are HTML-escaped in the HTML part and left raw in the text part and subject.
/// </summary>
public sealed class Personalizer
{
    private readonly MergeTemplate _subject;
    private readonly MergeTemplate _html;
    private readonly MergeTemplate _text;
    private readonly string _htmlFallback;

    public Personalizer(RenderedMail mail, string defaultNameFallback = MergeTokens.DefaultNameFallback)
    {
        ArgumentNullException.ThrowIfNull(mail);
        _subject = MergeTemplate.Parse(mail.Subject);
        _html = MergeTemplate.Parse(mail.Html);
        _text = MergeTemplate.Parse(mail.Text);
        DefaultNameFallback = defaultNameFallback;
        _htmlFallback = WebUtility.HtmlEncode(defaultNameFallback);
    }

    public string DefaultNameFallback { get; }

    /// <summary>Room to reserve for a recipient's encoded HTML or text part: the fixed bytes plus space for the values.</summary>
    internal int HtmlSizeHint => _html.QuotedPrintableLiteralLength + 1024;

    internal int TextSizeHint => _text.QuotedPrintableLiteralLength + 1024;

    public PersonalizedMail Personalize(MergeValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var raw = Raw(values);
        return new PersonalizedMail(
            _subject.Fill(raw, DefaultNameFallback),
            _html.Fill(Escaped(raw), _htmlFallback),
            _text.Fill(raw, DefaultNameFallback));
    }

    /// <summary>The subject line for one recipient (raw: MIME header encoding happens in MimeKit).</summary>
    public string Subject(MergeValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return _subject.Fill(Raw(values), DefaultNameFallback);
    }

    /// <summary>
    /// Writes the recipient's HTML part as a finished quoted-printable body (UTF-8, CRLF lines), to be sent
    /// as-is: the fast path for sending. The text around the tokens is encoded once per personalizer, so per
    /// recipient only the values are encoded; building and encoding a 40 KB part afresh would cost far more.
    /// </summary>
    public void WriteHtml(MergeValues values, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(output);
        _html.WriteQuotedPrintable(Escaped(Raw(values)), _htmlFallback, output);
    }

    /// <summary>Writes the recipient's text part as a finished quoted-printable body; see <see cref="WriteHtml"/>.</summary>
    public void WriteText(MergeValues values, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(output);
        _text.WriteQuotedPrintable(Raw(values), DefaultNameFallback, output);
    }

    private static string?[] Raw(MergeValues values)
    {
        // A name is free text from a sign-up form: keep line breaks out of the subject header.
        var name = values.Name?.Trim().ReplaceLineEndings(" ");
        return [name, values.Email, values.UnsubscribeUrl, values.PreferencesUrl, values.WebVersionUrl];
    }

    private static string?[] Escaped(string?[] raw) => Array.ConvertAll(raw, Escape);

    private static string? Escape(string? value) => value is null ? null : WebUtility.HtmlEncode(value);
}
