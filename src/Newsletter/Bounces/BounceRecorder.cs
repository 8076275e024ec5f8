using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;
using Newsletter.Sending;

namespace Newsletter.Bounces;

/// <summary>
/// Ties a bounce or complaint to the delivery it is about and records it (<see cref="BounceStore.RecordAsync"/>).
/// A VERP token must verify. Mail to the bounce address is public and Message-IDs are guessable, so with VERP on a
/// mailed report without a token changes nothing; with it off, the returned Message-ID names the delivery and the
/// report must name the address that delivery went to. A report that names no message we sent changes nothing;
/// neither does one about a subscriber erased since (only the count is kept).
/// </summary>
public sealed class BounceRecorder(
    BounceStore store, EnvelopeSender envelope, IOptions<BouncesOptions> options, ILogger<BounceRecorder> logger)
{
    /// <param name="source">Where it came from, for the consent log: <c>bounce</c>, <c>complaint</c> or a provider's name.</param>
    /// <param name="matchByAddress">
    /// A report naming neither token nor a Message-ID of ours is about the latest message sent to its recipient: only
    /// for reports whose sender was authenticated (provider webhooks), never for mail anyone can send.
    /// </param>
    public async Task<BounceOutcome> RecordAsync(BounceReport report, string source, bool matchByAddress = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Kind is not (BounceKind.Hard or BounceKind.Soft or BounceKind.Complaint))
            return BounceOutcome.Unmatched;
        if (report.VerpToken is null && envelope.Enabled && !matchByAddress)
        {
            logger.LogInformation("A {Kind} report from {Source} carries no VERP token although every message has one; ignored",
                report.Kind, source);
            return BounceOutcome.Unmatched;
        }
        var delivery = Named(report);
        // A provider may put its own Message-ID in place of ours (SES does): then the address is all there is.
        if (delivery is null && matchByAddress && report is { VerpToken: null, Recipient: { } recipient })
            delivery = await store.LatestDeliveryToAsync(recipient, cancellationToken).ConfigureAwait(false);
        if (delivery is null)
        {
            logger.LogInformation("A {Kind} report from {Source} names no message we sent; ignored", report.Kind, source);
            return BounceOutcome.Unmatched;
        }
        var entry = await store.LedgerEntryAsync(delivery, cancellationToken).ConfigureAwait(false);
        // Only a message the relay took can come back; the VERP token vouches for the address itself.
        if (entry is null || entry.Status != DeliveryStatus.Sent.Name()
            || (report.VerpToken is null && entry.Email.Length > 0
                && !string.Equals(report.Recipient, entry.Email, StringComparison.OrdinalIgnoreCase)))
        {
            logger.LogInformation("A {Kind} report from {Source} names send {SendId}, subscriber {SubscriberId}, which got no such message; ignored",
                report.Kind, source, delivery.SendId, delivery.SubscriberId);
            return BounceOutcome.Unmatched;
        }
        var settings = options.Value;
        var outcome = await store.RecordAsync(delivery, report.Kind, report.Status, source,
            WithoutAddresses(report.Diagnostic, entry.Email, report.Recipient), settings.SoftLimit, settings.SoftWindowDays,
            cancellationToken).ConfigureAwait(false);
        logger.LogInformation("{Kind} from {Source} for send {SendId}, subscriber {SubscriberId}: {Outcome}",
            report.Kind, source, delivery.SendId, delivery.SubscriberId, outcome);
        return outcome;
    }

    private DeliveryRef? Named(BounceReport report)
    {
        if (report.VerpToken is not null)
            return envelope.TryRead(report.VerpToken, out var sendId, out var subscriberId) ? new DeliveryRef(sendId, subscriberId) : null;
        return DeliveryMessageFactory.TryReadMessageId(report.OriginalMessageId, out var send, out var subscriber)
            ? new DeliveryRef(send, subscriber)
            : null;
    }

    /// <summary>The relay's words without the reader's address (the ledger of bounces keeps none); nothing once they are erased.</summary>
    private static string? WithoutAddresses(string? diagnostic, string delivered, string? reported)
    {
        if (diagnostic is null || delivered.Length == 0)
            return null;
        var text = diagnostic.Replace(delivered, "(recipient)", StringComparison.OrdinalIgnoreCase);
        if (!string.IsNullOrEmpty(reported))
            text = text.Replace(reported, "(recipient)", StringComparison.OrdinalIgnoreCase);
        return text.Length > 500 ? text[..500] : text;
    }
}
