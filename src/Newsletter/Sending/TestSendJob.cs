using Hangfire;
using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Configuration;
using Newsletter.Content;
using Newsletter.Issues;
using Newsletter.Jobs;
using Newsletter.Mail;
using Newsletter.Rendering;
using Newsletter.Subscribers;

namespace Newsletter.Sending;

/// <summary>
/// One copy of an issue to one address, byte for byte as a subscriber gets it but for the recipient's
/// own values (see <see cref="DeliveryMessageFactory.Copy"/>). Runs on the transactional queue so it
/// never waits behind a bulk send.
/// </summary>
public sealed class TestSendJob(
    IssueStore issues, IssueReader reader, MailRenderer renderer, IssueMessageBuilder builder, SubscriptionLinks links,
    TransactionalMailer mailer, IOptions<NewsletterOptions> options)
{
    /// <param name="address">One mailbox, with the name the copy greets when given: <c>Sam &lt;sam@example.com&gt;</c>.</param>
    [Queue(JobQueues.Transactional)]
    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(long issueId, string address, CancellationToken cancellationToken = default)
    {
        var to = MailboxAddress.Parse(address);
        var issue = await issues.GetIssueAsync(issueId, cancellationToken);
        var rendered = await renderer.RenderIssueAsync(reader.Parse(issue.Source, issue.Slug), cancellationToken);
        using var message = DeliveryMessageFactory.Copy(rendered, issue.Slug, to, builder, links, options.Value.PublicUrl);
        await mailer.SendAsync(message, cancellationToken);
    }
}
