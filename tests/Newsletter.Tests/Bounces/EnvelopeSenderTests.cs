using Microsoft.Extensions.Options;
using Newsletter.Configuration;
using Newsletter.Sending;
using Newsletter.Subscribers;

namespace Newsletter.Tests.Bounces;

/// <summary>The VERP address: short, plain atext, readable after a relay folded its case, and worthless when altered.</summary>
public sealed class EnvelopeSenderTests
{
    private static readonly SubscriptionTokens Tokens = SubscriptionTokens.FromSecret(new byte[32]);
    private static readonly EnvelopeSender Envelope = new(Options.Create(new BouncesOptions { Address = "bounces@example.com" }), Tokens);

    [Theory]
    [InlineData(1L, 1L)]
    [InlineData(123L, 4_567_890L)]
    [InlineData(long.MaxValue, long.MaxValue)]
    public void ATokenNamesItsSendAndSubscriberInAnyCase(long sendId, long subscriberId)
    {
        var address = Envelope.For(sendId, subscriberId)!.Address;
        var token = address["bounces+".Length..address.IndexOf('@')];

        Assert.Matches("^bounces\\+[a-z2-7]+@example\\.com$", address);
        Assert.True(address.IndexOf('@') <= 64, $"local part of {address.IndexOf('@')} characters");
        Assert.True(Envelope.TryRead(token.ToUpperInvariant(), out var send, out var subscriber));
        Assert.Equal((sendId, subscriberId), (send, subscriber));
    }

    [Fact]
    public void EverydayTokensAreShort() =>
        Assert.True(Envelope.For(50_000, 2_000_000)!.Address.Length < "bounces+".Length + 32 + "@example.com".Length);

    [Fact]
    public void AnAlteredTruncatedOrForeignTokenNamesNothing()
    {
        var address = Envelope.For(7, 42)!.Address;
        var token = address["bounces+".Length..address.IndexOf('@')];
        var otherKey = new EnvelopeSender(Options.Create(new BouncesOptions { Address = "bounces@example.com" }),
            SubscriptionTokens.FromSecret(Enumerable.Repeat((byte)1, 32).ToArray()));

        foreach (var forged in new[] { token[..^1], token + "a", token[..3] + (token[3] == 'a' ? 'b' : 'a') + token[4..], "", "not-base32!",
                     Tokens.Create(TokenPurpose.Bounce, 42, 7), Tokens.CreateCompact(TokenPurpose.Unsubscribe, 7, 42) })
            Assert.False(Envelope.TryRead(forged, out _, out _), forged);
        Assert.False(otherKey.TryRead(token, out _, out _));
    }
}
