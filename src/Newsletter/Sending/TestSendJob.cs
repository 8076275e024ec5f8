using Hangfire;
using Newsletter.Content;
using Newsletter.Rendering;
using Newsletter.Scheduling;
using Newsletter.Subscribers;

namespace Newsletter.Sending;

/// <summary>
/// One copy of an issue, exactly as subscribers will get it but marked as a test, to one address.
/// Runs on the transactional queue so it never waits behind a bulk send.
/// </summary>
public sealed class TestSendJob(
    SendStore sends, IssueReader reader, MailRenderer renderer, IssueMessageBuilder builder, SubscriptionLinks links,
    TransactionalMailer mailer)
{
    [Queue(JobQueues.Transactional)]
    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(long issueId, string address, CancellationToken cancellationToken)
    {
        var issue = await sends.GetIssueAsync(issueId);
        var rendered = await renderer.RenderIssueAsync(reader.Parse(issue.Source, issue.Slug), cancellationToken);
        var personalizer = new Personalizer(rendered with { Subject = "[Test] " + rendered.Subject });
        // Links for subscriber 0 are validly signed but name nobody: following them changes nothing.
        var unsubscribeUrl = links.UnsubscribeUrl(0, 0);
        var values = new MergeValues(address, null, unsubscribeUrl, links.PreferencesUrl(0), unsubscribeUrl);
        using var message = builder.Build(personalizer, values, new MessageRecipient(address, null, unsubscribeUrl));
        await mailer.SendAsync(message, cancellationToken);
    }
}
