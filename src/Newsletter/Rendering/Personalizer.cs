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

    public PersonalizedMail Personalize(MergeValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        // A name is free text from a sign-up form: keep line breaks out of the subject header.
        var name = values.Name?.Trim().ReplaceLineEndings(" ");
        string?[] raw = [name, values.Email, values.UnsubscribeUrl, values.PreferencesUrl, values.WebVersionUrl];
        string?[] escaped =
        [
            Escape(name), Escape(values.Email), Escape(values.UnsubscribeUrl),
            Escape(values.PreferencesUrl), Escape(values.WebVersionUrl),
        ];

        return new PersonalizedMail(
            _subject.Fill(raw, DefaultNameFallback),
            _html.Fill(escaped, _htmlFallback),
            _text.Fill(raw, DefaultNameFallback));
    }

    private static string? Escape(string? value) => value is null ? null : WebUtility.HtmlEncode(value);
}
