using System.Text.Json;

namespace Newsletter.Subscribers;

/// <summary>One subscriber's page and their data as a download: everything held about them.</summary>
public sealed class SubscriberProfiles(SubscriberProfileStore store, TimeProvider clock)
{
    private static readonly JsonSerializerOptions ExportJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    /// <exception cref="UnknownSubscriberException">No subscriber has the address (in any case).</exception>
    public async Task<SubscriberProfile> GetAsync(string email, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(email);
        var subscriber = await store.FindAsync(email.Trim(), cancellationToken).ConfigureAwait(false)
            ?? throw new UnknownSubscriberException(email.Trim());
        return await ProfileOfAsync(subscriber, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The subscriber with this id; null when there is none (an address is never needed, so none goes in a link).</summary>
    public async Task<SubscriberProfile?> FindAsync(long id, CancellationToken cancellationToken = default) =>
        await store.FindAsync(id, cancellationToken).ConfigureAwait(false) is { } subscriber
            ? await ProfileOfAsync(subscriber, cancellationToken).ConfigureAwait(false)
            : null;

    private async Task<SubscriberProfile> ProfileOfAsync(SubscriberRecord subscriber, CancellationToken cancellationToken = default)
    {
        var lists = await store.SubscriptionsOfAsync(subscriber.Id, cancellationToken).ConfigureAwait(false);
        var consent = await store.ConsentTrailAsync(subscriber.Id, cancellationToken).ConfigureAwait(false);
        var deliveries = await store.DeliveriesOfAsync(subscriber.Id, cancellationToken).ConfigureAwait(false);
        return new SubscriberProfile(subscriber.Id, subscriber.Email, subscriber.Name, subscriber.CreatedAt, subscriber.UpdatedAt,
            Attributes(subscriber.Attributes), subscriber.Suppression, lists, consent, deliveries);
    }

    /// <summary>
    /// Writes everything held about the subscriber as one JSON document (UTF-8): their row and attributes,
    /// lists, suppression, every consent event with its client and details (those logged without a
    /// subscriber but naming the address too), and every delivery with the address it went to.
    /// </summary>
    /// <exception cref="UnknownSubscriberException">No subscriber has the address.</exception>
    public async Task ExportDataAsync(string email, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        var profile = await GetAsync(email, cancellationToken).ConfigureAwait(false);
        var anonymous = await store.ConsentNamingAddressAsync(profile.Email, cancellationToken).ConfigureAwait(false);
        var document = new
        {
            ExportedAt = clock.GetUtcNow().UtcDateTime,
            Subscriber = new { profile.Id, profile.Email, profile.Name, CreatedAt = Utc(profile.CreatedAt), UpdatedAt = Utc(profile.UpdatedAt), profile.Attributes },
            profile.Suppression,
            Lists = profile.Lists.Select(l => new
            {
                List = l.ListSlug, l.ListName, l.Status, l.Source, SubscribedAt = Utc(l.SubscribedAt),
                ConfirmedAt = Utc(l.ConfirmedAt), UnsubscribedAt = Utc(l.UnsubscribedAt),
            }),
            ConsentEvents = profile.ConsentTrail.Concat(anonymous).OrderBy(e => e.At).ThenBy(e => e.Id).Select(e => new
            {
                At = Utc(e.At), e.Action, e.Source, List = e.ListSlug, e.Ip, e.UserAgent,
                Detail = e.Detail is null ? (JsonElement?)null : JsonElement.Parse(e.Detail),
            }),
            Deliveries = profile.Deliveries.Select(d => new
            {
                d.SendId, Issue = d.IssueSlug, d.IssueTitle, List = d.ListSlug, d.Email, d.Status, d.Attempts,
                SendAt = Utc(d.SendAt), SentAt = Utc(d.SentAt), d.LastError, d.CameBack,
            }),
        };
        await JsonSerializer.SerializeAsync(output, document, ExportJson, cancellationToken).ConfigureAwait(false);
    }

    private static Dictionary<string, JsonElement> Attributes(string json)
    {
        var attributes = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var root = JsonElement.Parse(json);
        if (root.ValueKind == JsonValueKind.Object)
            foreach (var property in root.EnumerateObject())
                attributes[property.Name] = property.Value;
        return attributes;
    }

    // timestamptz comes back as UTC; saying so makes the JSON carry the Z.
    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private static DateTime? Utc(DateTime? value) => value is { } time ? Utc(time) : null;
}
