using Hangfire;
using MimeKit;

namespace Newsletter.Sending;

/// <summary>Queues test copies of an issue.</summary>
public sealed class TestSends(IBackgroundJobClient jobs)
{
    /// <exception cref="SendRequestException">Not one valid address.</exception>
    public string Enqueue(long issueId, string address)
    {
        if (!MailboxAddress.TryParse(address, out var mailbox) || !mailbox.Address.Contains('@') || address.Contains(','))
            throw new SendRequestException($"'{address}' is not one email address.");
        return jobs.Enqueue<TestSendJob>(job => job.RunAsync(issueId, mailbox.Address, CancellationToken.None));
    }
}
