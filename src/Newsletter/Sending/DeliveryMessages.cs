using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;
using Newsletter.Mail;
using Newsletter.Subscribers;

namespace Newsletter.Sending;

/// <summary>
/// One <see cref="DeliveryMessageFactory"/> per send and process: the stored rendering is cut at its
/// merge tokens once, not once per batch.
/// </summary>
public sealed class DeliveryMessages(
    IOptions<NewsletterOptions> options, IssueMessageBuilder builder, SubscriptionLinks links, SendStore sends,
    EnvelopeSender envelope)
{
    private const int Kept = 16;
    private readonly ConcurrentDictionary<long, DeliveryMessageFactory> _factories = new();

    /// <summary>The send's factory, loading its stored rendering on first use in this process.</summary>
    public async Task<DeliveryMessageFactory> ForAsync(long sendId, CancellationToken cancellationToken = default)
    {
        if (_factories.TryGetValue(sendId, out var factory))
            return factory;
        if (_factories.Count > Kept)
            _factories.Clear();
        var content = await sends.GetContentAsync(sendId, cancellationToken);
        return _factories.GetOrAdd(sendId, id => new DeliveryMessageFactory(id, content, builder, links, options.Value.PublicUrl, envelope));
    }
}
