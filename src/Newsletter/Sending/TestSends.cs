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

    /// <summary>Queues one copy to each address of a list, split by commas or lines; all of them or, on a refusal, none.</summary>
    /// <param name="addresses">E.g. <c>me@example.com, Sam &lt;sam@example.com&gt;</c>.</param>
    /// <returns>The addresses as queued.</returns>
    /// <exception cref="SendRequestException">No address, or one that is not an address; nothing is queued.</exception>
    public IReadOnlyList<string> EnqueueAll(long issueId, string addresses)
    {
        var text = addresses.ReplaceLineEndings(",");
        if (!InternetAddressList.TryParse(text, out var parsed))
            throw new SendRequestException($"'{addresses.Trim()}' is not a list of email addresses, such as me@example.com, Sam <sam@example.com>.");
        var mailboxes = new List<string>();
        foreach (var address in parsed)
        {
            if (address is not MailboxAddress mailbox || !mailbox.Address.Contains('@'))
                throw new SendRequestException($"'{address}' is not one email address.");
            mailboxes.Add(new MailboxAddress(mailbox.Name, mailbox.Address).ToString());
        }
        if (mailboxes.Count == 0)
            throw new SendRequestException("Give at least one address for the test copy.");
        foreach (var to in mailboxes)
            jobs.Enqueue<TestSendJob>(job => job.RunAsync(issueId, to, CancellationToken.None));
        return mailboxes;
    }
}
