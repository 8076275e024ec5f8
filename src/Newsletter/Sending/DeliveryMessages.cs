using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;
using Newsletter.Subscribers;

namespace Newsletter.Sending;

/// <summary>
/// One <see cref="DeliveryMessageFactory"/> per send and process: the stored rendering is cut at its
/// merge tokens once, not once per batch.
/// </summary>
public sealed class DeliveryMessages(
    IOptions<NewsletterOptions> options, IssueMessageBuilder builder, SubscriptionLinks links, DkimSigning? dkim)
{
    private const int Kept = 16;
    private readonly ConcurrentDictionary<long, DeliveryMessageFactory> _factories = new();

    public DeliveryMessageFactory For(long sendId, string issueSlug, SendContent content)
    {
        if (_factories.Count > Kept)
            _factories.Clear();
        return _factories.GetOrAdd(sendId, id => new DeliveryMessageFactory(
            id, issueSlug, content, builder, links, dkim, options.Value.PublicUrl, DomainOf(options.Value.Sender.Address)));
    }

    private static string DomainOf(string address) => address[(address.LastIndexOf('@') + 1)..];
}
