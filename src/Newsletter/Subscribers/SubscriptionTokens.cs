using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;

namespace Newsletter.Subscribers;

/// <summary>
/// Makes and checks the HMAC-SHA256 tokens in confirm, unsubscribe and preferences links. A token is
/// base64url(purpose · subscriber id · list id · expiry · first 16 bytes of the HMAC); no database
/// round trip, so the delivery engine can make one per recipient at thousands a second.
/// The secret lives in <c>app_setting</c>, shared by every process on the database; it is loaded once
/// by <see cref="LoadSecretAsync"/> when the app is prepared.
/// </summary>
public sealed class SubscriptionTokens
{
    private const int PayloadLength = 1 + 8 + 8 + 8;
    private const int MacLength = 16;
    private const int TokenLength = PayloadLength + MacLength;

    private static readonly System.Buffers.SearchValues<char> UrlSafeAlphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private readonly SubscriberStore? _store;
    private byte[]? _secret;

    public SubscriptionTokens(SubscriberStore store) => _store = store;

    private SubscriptionTokens(byte[] secret) => _secret = secret;

    /// <summary>Tokens over a given secret, for tools and tests that have no database.</summary>
    public static SubscriptionTokens FromSecret(byte[] secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Length < 32)
            throw new ArgumentException("The secret must have at least 32 bytes.", nameof(secret));
        return new SubscriptionTokens((byte[])secret.Clone());
    }

    /// <summary>Reads the shared secret, creating it on first use of the database. Safe to call more than once.</summary>
    public async Task LoadSecretAsync(CancellationToken cancellationToken = default)
    {
        if (_secret is not null || _store is null)
            return;
        var fresh = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var stored = await _store.GetOrCreateTokenSecretAsync(fresh, cancellationToken).ConfigureAwait(false);
        _secret = Convert.FromBase64String(stored);
    }

    /// <exception cref="InvalidOperationException">The secret was not loaded (<see cref="LoadSecretAsync"/>).</exception>
    public string Create(TokenPurpose purpose, long subscriberId, long listId, DateTimeOffset? expiresAt = null)
    {
        var secret = _secret ?? throw new InvalidOperationException(
            "The token secret is not loaded: call SubscriptionTokens.LoadSecretAsync once the database is ready.");
        Span<byte> token = stackalloc byte[TokenLength];
        token[0] = (byte)purpose;
        BinaryPrimitives.WriteInt64BigEndian(token[1..], subscriberId);
        BinaryPrimitives.WriteInt64BigEndian(token[9..], listId);
        BinaryPrimitives.WriteInt64BigEndian(token[17..], expiresAt?.ToUnixTimeSeconds() ?? 0);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(secret, token[..PayloadLength], mac);
        mac[..MacLength].CopyTo(token[PayloadLength..]);
        return Base64Url.EncodeToString(token);
    }

    /// <summary>
    /// True if <paramref name="token"/> was made by us for <paramref name="purpose"/>. Expiry is left to
    /// the caller (<see cref="SubscriptionToken.IsExpired"/>), which can then say "expired" rather than "invalid".
    /// </summary>
    public bool TryRead(string? token, TokenPurpose purpose, out SubscriptionToken result)
    {
        result = default;
        var secret = _secret ?? throw new InvalidOperationException("The token secret is not loaded.");
        // Base64Url's decoders throw on foreign characters; a garbled link is an answer, not an exception.
        if (token is null || token.Length != Base64Url.GetEncodedLength(TokenLength) || token.AsSpan().ContainsAnyExcept(UrlSafeAlphabet))
            return false;
        Span<byte> bytes = stackalloc byte[TokenLength];
        try
        {
            if (!Base64Url.TryDecodeFromChars(token, bytes, out var written) || written != TokenLength)
                return false;
        }
        catch (FormatException)
        {
            // Also thrown, not answered with false, when the last character sets bits past the token's 41 bytes.
            return false;
        }
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(secret, bytes[..PayloadLength], mac);
        if (!CryptographicOperations.FixedTimeEquals(mac[..MacLength], bytes[PayloadLength..]) || bytes[0] != (byte)purpose)
            return false;
        var expiry = BinaryPrimitives.ReadInt64BigEndian(bytes[17..]);
        result = new SubscriptionToken(purpose,
            BinaryPrimitives.ReadInt64BigEndian(bytes[1..]),
            BinaryPrimitives.ReadInt64BigEndian(bytes[9..]),
            expiry == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(expiry));
        return true;
    }
}
