using MimeKit;
using Newsletter.Mail;
using Newsletter.Rendering;

namespace Newsletter.Subscribers;

/// <summary>
/// The confirmation and welcome mails: rendered from <c>templates/email/Confirmation.cshtml</c> and
/// <c>Welcome.cshtml</c> in the issue's layout, with a text part, and built (headers, DKIM) by the same
/// <see cref="IssueMessageBuilder"/> as every other message.
/// </summary>
public sealed class ConsentMails(MailRenderer renderer, IssueMessageBuilder builder, SubscriptionLinks links)
{
    /// <summary>The double opt-in mail; its link stops working at <paramref name="linkExpiresAt"/>.</summary>
    /// <exception cref="TemplateException">The template is missing, does not compile or fails while rendering.</exception>
    public async Task<MimeMessage> ConfirmationAsync(
        ConsentMailRecipient recipient, DateTimeOffset linkExpiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        var url = links.ConfirmUrl(recipient.SubscriberId, recipient.ListId, linkExpiresAt);
        var rendered = await renderer.RenderConfirmationAsync(recipient.ListName, url, linkExpiresAt, cancellationToken).ConfigureAwait(false);
        // Not on the list yet: no list headers and no link to leave a list the reader is not on. No name
        // either: it came from an anonymous form, and a mail signed by our domain must not carry a stranger's words.
        var values = new MergeValues(recipient.Email, "", "", "", "");
        return builder.Build(new Personalizer(rendered), values, new MessageRecipient(recipient.Email, null, null), bulk: false);
    }

    /// <summary>The welcome mail, list mail already: it carries the list's one-click unsubscribe headers.</summary>
    /// <exception cref="TemplateException">The template is missing, does not compile or fails while rendering.</exception>
    public async Task<MimeMessage> WelcomeAsync(ConsentMailRecipient recipient, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        var rendered = await renderer.RenderWelcomeAsync(recipient.ListName, cancellationToken).ConfigureAwait(false);
        var unsubscribe = links.UnsubscribeUrl(recipient.SubscriberId, recipient.ListId);
        var values = new MergeValues(recipient.Email, recipient.Name, unsubscribe, links.PreferencesUrl(recipient.SubscriberId), "");
        return builder.Build(new Personalizer(rendered), values, new MessageRecipient(recipient.Email, recipient.Name, unsubscribe));
    }
}
