using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Configuration;
using Newsletter.Subscribers;

namespace Newsletter.Sending;

/// <summary>
/// The per-message envelope sender (VERP) when <c>Newsletter:Bounces:Address</c> is set:
/// <c>bounces+TOKEN@example.com</c>, the token a signed <see cref="TokenPurpose.Bounce"/> token naming the send
/// and the subscriber (<see cref="SubscriptionTokens.CreateCompact"/>), so a bounce names its delivery and a
/// forged one names nothing. The token is lower-case base32 (letters and digits: plain atext, RFC 5321),
/// about 30 characters, so the local part stays well under the 64 allowed, and it still reads after a relay
/// folded its case. One HMAC per message.
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

    /// <summary>True when every message goes out from its own signed bounce address.</summary>
    public bool Enabled => _local is not null;

    /// <summary>The MAIL FROM of one delivery; null when no bounce address is configured (the From address is used).</summary>
    public MailboxAddress? For(long sendId, long subscriberId) =>
        _local is null ? null : new MailboxAddress("", $"{_local}+{_tokens.CreateCompact(TokenPurpose.Bounce, sendId, subscriberId)}@{_domain}");

    /// <summary>The send and subscriber a token names; false for a token we did not sign.</summary>
    public bool TryRead(string? token, out long sendId, out long subscriberId) =>
        _tokens.TryReadCompact(token, TokenPurpose.Bounce, out sendId, out subscriberId);
}
