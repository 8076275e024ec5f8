using System.Security.Cryptography;
using Newsletter.Subscribers;

namespace Newsletter.Tests.Subscribers;

public sealed class SubscriptionTokensTests
{
    private readonly SubscriptionTokens _tokens = SubscriptionTokens.FromSecret(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void TokenCarriesSubscriberListAndExpiry()
    {
        var expiry = DateTimeOffset.FromUnixTimeSeconds(2_000_000_000);
        var token = _tokens.Create(TokenPurpose.Confirm, 42, 7, expiry);

        Assert.True(_tokens.TryRead(token, TokenPurpose.Confirm, out var read));
        Assert.Equal(new SubscriptionToken(TokenPurpose.Confirm, 42, 7, expiry), read);
        Assert.False(read.IsExpired(expiry.AddSeconds(-1)));
        Assert.True(read.IsExpired(expiry));
    }

    [Fact]
    public void UnsubscribeTokensNeverExpire()
    {
        Assert.True(_tokens.TryRead(_tokens.Create(TokenPurpose.Unsubscribe, 1, 2), TokenPurpose.Unsubscribe, out var read));
        Assert.Null(read.ExpiresAt);
        Assert.False(read.IsExpired(DateTimeOffset.MaxValue));
    }

    [Fact]
    public void ForgedTruncatedGarbledOrRepurposedTokensAreRefused()
    {
        var token = _tokens.Create(TokenPurpose.Unsubscribe, 42, 7);
        var other = SubscriptionTokens.FromSecret(RandomNumberGenerator.GetBytes(32)).Create(TokenPurpose.Unsubscribe, 42, 7);
        var flipped = (token[5] == 'A' ? 'B' : 'A') + "";

        Assert.False(_tokens.TryRead(other, TokenPurpose.Unsubscribe, out _));
        Assert.False(_tokens.TryRead(token[..^1], TokenPurpose.Unsubscribe, out _));
        Assert.False(_tokens.TryRead(token[..5] + flipped + token[6..], TokenPurpose.Unsubscribe, out _));
        Assert.False(_tokens.TryRead(token[..^2] + "!!", TokenPurpose.Unsubscribe, out _));
        Assert.False(_tokens.TryRead("", TokenPurpose.Unsubscribe, out _));
        Assert.False(_tokens.TryRead(null, TokenPurpose.Unsubscribe, out _));
        Assert.False(_tokens.TryRead(token, TokenPurpose.Preferences, out _));
    }

    [Fact]
    public void TokensAreUrlSafe()
    {
        for (var id = 0; id < 200; id++)
            Assert.Matches("^[A-Za-z0-9_-]+$", _tokens.Create(TokenPurpose.Unsubscribe, id * 7919L, long.MaxValue - id));
    }
}
