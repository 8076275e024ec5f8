using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Newsletter.Subscribers;

/// <summary>
/// Finds subscribers whose address or name starts with a text, whatever its case, a page at a time in the
/// order of the text matched. Each page is a couple of index range reads, however many people match.
/// </summary>
public sealed class SubscriberSearch(SubscriberProfileStore store)
{
    /// <summary>The most matches one page returns.</summary>
    public const int MaxPageSize = 500;

    /// <summary>
    /// The page after <paramref name="cursor"/> (the first page without one). A blank text matches nobody.
    /// </summary>
    /// <exception cref="InvalidSearchCursorException">The cursor is not one a search returned.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is not 1 to <see cref="MaxPageSize"/>.</exception>
    public async Task<SubscriberSearchPage> SearchAsync(string text, string? cursor = null, int limit = 50,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPageSize);
        var (afterKey, afterId) = cursor is null ? ("", 0L) : Decode(cursor);
        text = text.Trim();
        if (text.Length == 0)
            return new SubscriberSearchPage([], null);

        // One more than asked for tells whether a next page exists.
        var rows = await store.SearchAsync(text, afterKey, afterId, limit + 1, cancellationToken).ConfigureAwait(false);
        var matches = rows.Take(limit).Select(r => new SubscriberMatch(r.Id, r.Email, r.Name, r.ByName, r.CreatedAt, r.Confirmed, r.Unconfirmed,
            r.Unsubscribed, r.Suppression)).ToList();
        return new SubscriberSearchPage(matches, rows.Count > limit ? Encode(rows[limit - 1]) : null);
    }

    // "<id>.<key in base64url>": the key is the lower-cased text as PostgreSQL lowered it, so it is carried, not recomputed.
    private static string Encode(SubscriberSearchRow last) =>
        $"{last.Id.ToString(CultureInfo.InvariantCulture)}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(last.SortKey))}";

    private static (string Key, long Id) Decode(string cursor)
    {
        var dot = cursor.IndexOf('.', StringComparison.Ordinal);
        if (dot < 1 || !long.TryParse(cursor.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            throw new InvalidSearchCursorException();
        try
        {
            return (new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Base64Url.DecodeFromChars(cursor.AsSpan(dot + 1))), id);
        }
        catch (FormatException)
        {
            throw new InvalidSearchCursorException();
        }
    }
}
