using System.Security.Cryptography;
using CsCheck;
using Newsletter.Subscribers;

namespace Newsletter.Tests.BadInput;

/// <summary>
/// The signed-link parser: any string is read or refused (false), never an exception, and only tokens we
/// made are read, back to what they were made of.
/// </summary>
public sealed class TokenProperties
{
    private const string UrlSafe = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private static readonly TokenPurpose[] Purposes = Enum.GetValues<TokenPurpose>();

    private readonly SubscriptionTokens _tokens = SubscriptionTokens.FromSecret(RandomNumberGenerator.GetBytes(32));

    // Expiries a link can carry: whole seconds, this century on (the format keeps 0 for "never").
    private static readonly Gen<DateTimeOffset?> Expiry = Gen.Frequency(
        (1, Gen.Const((DateTimeOffset?)null)),
        (3, Gen.Long[946_684_800, 253_402_300_799].Select(s => (DateTimeOffset?)DateTimeOffset.FromUnixTimeSeconds(s))));

    private static readonly Gen<(TokenPurpose Purpose, long Subscriber, long List, DateTimeOffset? Expiry)> Payload =
        Gen.Select(Gen.OneOf(Purposes), Gen.Long, Gen.Long, Expiry);

    [Fact]
    public void AnyStringIsRefusedWithoutAnException() =>
        Gen.Frequency(
            (1, Gen.String[0, 200]),
            (2, Gen.Char[UrlSafe].Array[50, 60].Select(chars => new string(chars))),
            (1, Gen.Char["AZaz09-_=+/ \0%é✓"].Array[0, 80].Select(chars => new string(chars)))
        ).Sample(text =>
        {
            foreach (var purpose in Purposes)
                Assert.False(_tokens.TryRead(text, purpose, out _));
        }, iter: 20_000);

    [Fact]
    public void EveryTokenReadsBackAsMadeAndOnlyForItsPurposeAndKey()
    {
        var otherKey = SubscriptionTokens.FromSecret(RandomNumberGenerator.GetBytes(32));
        Payload.Sample((purpose, subscriber, list, expiry) =>
        {
            var token = _tokens.Create(purpose, subscriber, list, expiry);

            Assert.Matches("^[A-Za-z0-9_-]{56}$", token);
            Assert.True(_tokens.TryRead(token, purpose, out var read));
            Assert.Equal(new SubscriptionToken(purpose, subscriber, list, expiry), read);
            Assert.All(Purposes.Where(p => p != purpose), other => Assert.False(_tokens.TryRead(token, other, out _)));
            Assert.False(otherKey.TryRead(token, purpose, out _));
        }, iter: 5_000);
    }

    /// <summary>A token with one character changed is refused, or (the last character's spare bits) reads exactly as before.</summary>
    [Fact]
    public void ChangedTokensAreRefusedOrReadUnchanged() =>
        Gen.Select(Payload, Gen.Int[0, 55], Gen.Char[UrlSafe]).Sample((payload, at, replacement) =>
        {
            var token = _tokens.Create(payload.Purpose, payload.Subscriber, payload.List, payload.Expiry);
            var changed = token[..at] + replacement + token[(at + 1)..];
            if (_tokens.TryRead(changed, payload.Purpose, out var read))
                Assert.Equal(new SubscriptionToken(payload.Purpose, payload.Subscriber, payload.List, payload.Expiry), read);
        }, iter: 20_000);
}
