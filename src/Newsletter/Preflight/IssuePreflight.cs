using Microsoft.Extensions.Options;
using Newsletter.Configuration;
using Newsletter.Content;
using Newsletter.Mail;
using Newsletter.Rendering;
using Newsletter.Subscribers;

namespace Newsletter.Preflight;

/// <summary>
/// Checks an issue before it goes out: renders it as a sample reader gets it, builds the message with the
/// real builder (headers, DKIM) and runs every check on the result. What the CLI's <c>preflight</c>, the
/// author's pages and a send to a list (<c>SendScheduler</c>) all run.
/// </summary>
public sealed class IssuePreflight(
    MailRenderer renderer, IssueMessageBuilder builder, SubscriptionLinks links, SpamAssassinCheck spamAssassin, IOptions<NewsletterOptions> options, IOptions<DkimOptions> dkim, IOptions<SmtpOptions> smtp, IOptions<PreflightOptions> preflight)
{
    public const string SampleName = "Sam";
    public const string SampleAddress = "sam@example.com";

    /// <exception cref="TemplateException">A template fails.</exception>
    public async Task<PreflightReport> RunAsync(Issue issue, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(issue);
        var sample = await SampleAsync(issue, cancellationToken).ConfigureAwait(false);
        using var message = sample.Message;
        var publicUrl = options.Value.PublicUrl;
        var sender = options.Value.Sender.Address;
        List<PreflightLine> lines =
        [
            HtmlSizeCheck.Check(sample),
            .. LinkCheck.Check(sample, publicUrl),
            .. ImageCheck.Check(sample),
            .. MergeTokenCheck.Check(sample),
            UnsubscribeHeadersCheck.Check(message),
            .. DkimCheck.Check(dkim.Value, sender, message),
            .. SenderDomainCheck.Check(sender, smtp.Value.Host),
            preflight.Value.SpamAssassin
                ? await spamAssassin.CheckAsync(message, cancellationToken).ConfigureAwait(false)
                : SpamAssassinCheck.SwitchedOff,
        ];
        return new PreflightReport(issue.Slug, lines);
    }

    /// <summary>
    /// The issue as a sample reader outside any list gets it: the links are signed for subscriber 0, who is
    /// nobody, so following them changes nothing.
    /// </summary>
    private async Task<IssueSample> SampleAsync(Issue issue, CancellationToken cancellationToken = default)
    {
        var rendered = await renderer.RenderIssueAsync(issue, cancellationToken).ConfigureAwait(false);
        var personalizer = new Personalizer(rendered);
        var unsubscribeUrl = links.UnsubscribeUrl(0, 0);
        var values = new MergeValues(SampleAddress, SampleName, unsubscribeUrl, links.PreferencesUrl(0),
            $"{options.Value.PublicUrl.TrimEnd('/')}/archive/{Uri.EscapeDataString(issue.Slug)}");
        // The bulk path, as a send builds each reader's message: the bytes scored are the bytes sent.
        var message = builder.Build(personalizer, values, new MessageRecipient(SampleAddress, SampleName, unsubscribeUrl));
        return new IssueSample(rendered, personalizer.Personalize(values).Html, message);
    }
}
