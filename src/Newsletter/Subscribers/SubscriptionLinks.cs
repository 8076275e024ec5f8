using Microsoft.Extensions.Options;
using Newsletter.Configuration;

namespace Newsletter.Subscribers;

/// <summary>
/// The links every mail carries, under <c>Newsletter:PublicUrl</c>. Pure computation once the token
/// secret is loaded: call it per recipient. RFC 8058 wants the one-click URL to be https, so a
/// production PublicUrl should be https. Unsubscribe and preferences links work for
/// <c>Newsletter:Subscribers:UnsubscribeLinkDays</c> from the day they were made (a whole day, so every
/// link made on one day is the same).
/// </summary>
public sealed class SubscriptionLinks(SubscriptionTokens tokens, IOptions<NewsletterOptions> options,
    IOptions<SubscribersOptions>? subscribers = null, TimeProvider? clock = null)
{
    private readonly string _base = options.Value.PublicUrl.TrimEnd('/');
    private readonly int _linkDays = (subscribers?.Value ?? new SubscribersOptions()).UnsubscribeLinkDays;
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>The page that asks "unsubscribe from this list?".</summary>
    public string UnsubscribeUrl(long subscriberId, long listId) => _base + UnsubscribePath(subscriberId, listId);

    /// <summary><see cref="UnsubscribeUrl"/> without the site, for the public pages' own forms.</summary>
    public string UnsubscribePath(long subscriberId, long listId) =>
        $"/unsubscribe?token={tokens.Create(TokenPurpose.Unsubscribe, subscriberId, listId, LinkExpiry())}";

    /// <summary>The RFC 8058 <c>List-Unsubscribe</c> target: the same URL, POSTed with <c>List-Unsubscribe=One-Click</c>.</summary>
    public string OneClickUnsubscribeUrl(long subscriberId, long listId) => UnsubscribeUrl(subscriberId, listId);

    /// <summary>The value of the <c>List-Unsubscribe</c> header (pair it with <c>List-Unsubscribe-Post: List-Unsubscribe=One-Click</c>).</summary>
    public string ListUnsubscribeHeader(long subscriberId, long listId) => $"<{OneClickUnsubscribeUrl(subscriberId, listId)}>";

    /// <summary>The subscriber's page listing the lists they are on.</summary>
    public string PreferencesUrl(long subscriberId) => _base + PreferencesPath(subscriberId);

    /// <summary><see cref="PreferencesUrl"/> without the site.</summary>
    public string PreferencesPath(long subscriberId) =>
        $"/preferences?token={tokens.Create(TokenPurpose.Preferences, subscriberId, 0, LinkExpiry())}";

    /// <summary>The double opt-in link; stops working at <paramref name="expiresAt"/>.</summary>
    public string ConfirmUrl(long subscriberId, long listId, DateTimeOffset expiresAt) =>
        $"{_base}/subscribe/confirm?token={tokens.Create(TokenPurpose.Confirm, subscriberId, listId, expiresAt)}";

    private DateTimeOffset LinkExpiry()
    {
        var today = _clock.GetUtcNow().UtcDateTime.Date;
        return new DateTimeOffset(today.AddDays(_linkDays + 1), TimeSpan.Zero);
    }
}
