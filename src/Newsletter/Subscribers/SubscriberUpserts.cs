using System.Text.Json;
using Hangfire;

namespace Newsletter.Subscribers;

/// <summary>
/// Adds or updates subscribers from a program (the API): as a batch, in one statement, with the rules of the form and
/// the import. Suppressed and erased addresses stay out; an opt-out stands; a subscription the caller does not vouch
/// for on a double opt-in list gets the same confirmation mail as a sign-up from the form.
/// </summary>
public sealed class SubscriberUpserts(SubscriberUpsertStore store, SubscriberStore subscribers, IBackgroundJobClient jobs)
{
    /// <summary>The most subscribers one call takes: a request body stays well under a megabyte.</summary>
    public const int MaxBatch = 1000;

    /// <exception cref="UnknownListException">A list slug names no list; nothing changed.</exception>
    /// <exception cref="ArgumentOutOfRangeException">More than <see cref="MaxBatch"/> subscribers.</exception>
    public async Task<UpsertSummary> UpsertAsync(IReadOnlyList<SubscriberUpsert> batch, ConsentContext context, object? detail = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batch.Count, MaxBatch);
        var slugs = batch.SelectMany(s => s.Lists).Distinct(StringComparer.Ordinal).ToList();
        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        var unknown = new List<string>();
        foreach (var slug in slugs)
        {
            if (await subscribers.FindListAsync(slug, cancellationToken).ConfigureAwait(false) is { } list)
                ids[slug] = list.Id;
            else
                unknown.Add(slug);
        }
        if (unknown.Count > 0)
            throw new UnknownListException(unknown);

        var (stored, toConfirm, lowered) = await store.UpsertAsync(batch, batch.Select(s => s.Lists.Select(slug => ids[slug]).ToArray()).ToList(), context,
            JsonSerializer.Serialize(detail ?? new { }), cancellationToken).ConfigureAwait(false);
        foreach (var (subscriberId, listId) in toConfirm)
            jobs.Enqueue<SendConfirmationJob>(job => job.RunAsync(subscriberId, listId, CancellationToken.None));
        var byAddress = stored.ToDictionary(r => r.EmailLower, r => r.SubscriberId, StringComparer.Ordinal);
        var suppressed = lowered.Distinct().Where(e => !byAddress.ContainsKey(e)).ToList();
        return new UpsertSummary(byAddress, stored.Count(r => r.Created), stored.Count(r => !r.Created), suppressed, toConfirm.Count);
    }
}
