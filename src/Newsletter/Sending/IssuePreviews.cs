using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Configuration;
using Newsletter.Content;
using Newsletter.Mail;
using Newsletter.Rendering;
using Newsletter.Subscribers;

namespace Newsletter.Sending;

/// <summary>
/// An issue as one reader gets it, for the author's preview: rendered, personalised and built into the
/// MIME message by the same code as a send, then read back as the reader's mail program would. Only the
/// Message-ID (fresh, outside any send) differs from that reader's message in a send.
/// </summary>
public sealed class IssuePreviews(MailRenderer renderer, IssueMessageBuilder builder, SubscriptionLinks links, IOptions<NewsletterOptions> options)
{
    public const string SampleName = "Sam";
    public const string SampleAddress = "sam@example.com";

    /// <summary>The reader of a preview when no subscriber is chosen; their links are signed for nobody (subscriber 0).</summary>
    public static readonly SubscriberIdentity SampleReader = new(0, SampleAddress, SampleName, 0);

    /// <param name="reader">Whose copy; <see cref="SampleReader"/> when null.</param>
    /// <exception cref="TemplateException">A template fails while rendering.</exception>
    public async Task<IssuePreview> RenderAsync(Issue issue, SubscriberIdentity? reader = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(issue);
        reader ??= SampleReader;
        var rendered = await renderer.RenderIssueAsync(issue, cancellationToken).ConfigureAwait(false);
        var content = new SendContent { Subject = rendered.Subject, HtmlBody = rendered.Html, TextBody = rendered.Text, IssueSlug = issue.Slug };
        using var message = new DeliveryMessageFactory(null, content, builder, links, options.Value.PublicUrl)
            .Build(new ClaimedDelivery(reader.Id, reader.ListId, reader.Email, reader.Name, 0, true));

        // Read back through MIME, as the relay's far side does: the parts are pre-encoded quoted-printable.
        using var wire = new MemoryStream();
        await message.WriteToAsync(wire, cancellationToken).ConfigureAwait(false);
        wire.Position = 0;
        using var received = await MimeMessage.LoadAsync(wire, cancellationToken).ConfigureAwait(false);
        return new IssuePreview(received.Subject ?? "", received.HtmlBody ?? "", received.TextBody ?? "");
    }
}
