using Hangfire;
using MimeKit;

namespace Newsletter.Sending;

/// <summary>Queues test copies of an issue.</summary>
public sealed class TestSends(IBackgroundJobClient jobs)
{
    /// <param name="address">One address, optionally with a name: <c>Sam &lt;sam@example.com&gt;</c>.</param>
    /// <exception cref="SendRequestException">Not one valid address.</exception>
    public string Enqueue(long issueId, string address)
    {
        if (!MailboxAddress.TryParse(address, out var mailbox) || !mailbox.Address.Contains('@') || address.Contains(','))
            throw new SendRequestException($"'{address}' is not one email address.");
        var to = new MailboxAddress(mailbox.Name, mailbox.Address).ToString();
        return jobs.Enqueue<TestSendJob>(job => job.RunAsync(issueId, to, CancellationToken.None));
    }
}
