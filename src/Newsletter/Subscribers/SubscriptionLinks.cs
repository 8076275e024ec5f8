using Microsoft.Extensions.Options;
using Newsletter.Configuration;

namespace Newsletter.Subscribers;

/// <summary>
/// The links every mail carries, under <c>Newsletter:PublicUrl</c>. Pure computation once the token
/// secret is loaded: call it per recipient. RFC 8058 wants the one-click URL to be https, so a
/// production PublicUrl should be https.
/// </summary>
public sealed class SubscriptionLinks(SubscriptionTokens tokens, IOptions<NewsletterOptions> options)
{
    private readonly string _base = options.Value.PublicUrl.TrimEnd('/');

    /// <summary>The page that asks "unsubscribe from this list?"; never expires.</summary>
    public string UnsubscribeUrl(long subscriberId, long listId) =>
        $"{_base}/unsubscribe?token={tokens.Create(TokenPurpose.Unsubscribe, subscriberId, listId)}";

    /// <summary>The RFC 8058 <c>List-Unsubscribe</c> target: the same URL, POSTed with <c>List-Unsubscribe=One-Click</c>.</summary>
    public string OneClickUnsubscribeUrl(long subscriberId, long listId) => UnsubscribeUrl(subscriberId, listId);

    /// <summary>The value of the <c>List-Unsubscribe</c> header (pair it with <c>List-Unsubscribe-Post: List-Unsubscribe=One-Click</c>).</summary>
    public string ListUnsubscribeHeader(long subscriberId, long listId) => $"<{OneClickUnsubscribeUrl(subscriberId, listId)}>";

    /// <summary>The subscriber's page listing their lists; never expires.</summary>
    public string PreferencesUrl(long subscriberId) =>
        $"{_base}/preferences?token={tokens.Create(TokenPurpose.Preferences, subscriberId, 0)}";

    /// <summary>The double opt-in link; stops working at <paramref name="expiresAt"/>.</summary>
    public string ConfirmUrl(long subscriberId, long listId, DateTimeOffset expiresAt) =>
        $"{_base}/subscribe/confirm?token={tokens.Create(TokenPurpose.Confirm, subscriberId, listId, expiresAt)}";
}
