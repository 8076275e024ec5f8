using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Configuration;
using Newsletter.Subscribers;

namespace Newsletter.Sending;

/// <summary>
/// The per-message envelope sender (VERP) when <c>Newsletter:Bounces:Address</c> is set:
/// <c>bounces+TOKEN@example.com</c>, the token a signed <see cref="TokenPurpose.Bounce"/> token naming the send
/// (in the token's list field) and the subscriber, so a bounce names its delivery and a forged one names
/// nothing. The token is base64url (letters, digits, '-', '_': plain atext, RFC 5321), 46 characters, so the
/// local part stays under the 64 allowed; it is case-sensitive, as local parts are. One HMAC per message.
/// </summary>
public sealed class EnvelopeSender
{
    private readonly SubscriptionTokens _tokens;
    private readonly string? _local;
    private readonly string? _domain;

    public EnvelopeSender(IOptions<BouncesOptions> options, SubscriptionTokens tokens)
    {
        _tokens = tokens;
        if (options.Value.Address is { } address)
        {
            var at = address.LastIndexOf('@');
            (_local, _domain) = (address[..at], address[(at + 1)..]);
        }
    }

    public bool Enabled => _local is not null;

    /// <summary>The MAIL FROM of one delivery; null when no bounce address is configured (the From address is used).</summary>
    public MailboxAddress? For(long sendId, long subscriberId) =>
        _local is null ? null : new MailboxAddress("", $"{_local}+{_tokens.Create(TokenPurpose.Bounce, subscriberId, sendId)}@{_domain}");

    /// <summary>The send and subscriber a token names; false for a token we did not sign.</summary>
    public bool TryRead(string? token, out long sendId, out long subscriberId)
    {
        (sendId, subscriberId) = (0, 0);
        if (!_tokens.TryRead(token, TokenPurpose.Bounce, out var read))
            return false;
        (sendId, subscriberId) = (read.ListId, read.SubscriberId);
        return true;
    }
}
