using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;

namespace Newsletter.Subscribers;

/// <summary>
/// Makes and checks the HMAC-SHA256 tokens in confirm, unsubscribe and preferences links. A token is
/// base64url(key id · purpose · subscriber id · list id · expiry · first 16 bytes of the HMAC); no database
/// round trip, so the delivery engine can make one per recipient at thousands a second.
/// Keys: id 0 is the secret generated in <c>app_setting</c> (shared by every process on the database,
/// loaded by <see cref="LoadSecretAsync"/>); ids 1-255 come from <c>Newsletter:Subscribers:TokenKeys</c>.
/// New tokens are signed with the highest id; every key still present verifies, so a key is rotated by
/// adding a higher one and retired by removing it (id 0: <c>RetireGeneratedTokenKey</c>).
/// Tokens made before key ids existed (one byte shorter) verify with key 0 while it is not retired.
/// </summary>
public sealed class SubscriptionTokens
{
    private const int PayloadLength = 1 + 1 + 8 + 8 + 8;
    private const int MacLength = 16;
    private const int TokenLength = PayloadLength + MacLength;
    private const int LegacyTokenLength = TokenLength - 1;
    // Compact tokens: key id, two varints of up to 10 bytes, 96 bits of HMAC.
    private const int CompactMacLength = 12;
    private const int CompactMaxLength = 1 + 10 + 10 + CompactMacLength;

    private static readonly System.Buffers.SearchValues<char> UrlSafeAlphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private readonly SubscriberStore? _store;
    private readonly byte[]?[] _keys = new byte[]?[256];
    private readonly bool _generatedKeyRetired;
    private byte _signingKey;
    private bool _loaded;

    public SubscriptionTokens(SubscriberStore store, IOptions<SubscribersOptions> options)
    {
        _store = store;
        foreach (var (id, key) in options.Value.TokenKeys)
            _keys[id] = Convert.FromBase64String(key);
        _generatedKeyRetired = options.Value.RetireGeneratedTokenKey;
        _signingKey = (byte)options.Value.TokenKeys.Keys.DefaultIfEmpty(0).Max();
    }

    private SubscriptionTokens(byte keyId, byte[] secret)
    {
        _keys[keyId] = secret;
        _signingKey = keyId;
        _loaded = true;
    }

    /// <summary>Tokens over one given key, for tools and tests that have no database.</summary>
    public static SubscriptionTokens FromSecret(byte[] secret, byte keyId = 0)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Length < 32)
            throw new ArgumentException("The secret must have at least 32 bytes.", nameof(secret));
        return new SubscriptionTokens(keyId, (byte[])secret.Clone());
    }

    /// <summary>Reads the generated key (id 0), creating it on first use of the database. Safe to call more than once.</summary>
    public async Task LoadSecretAsync(CancellationToken cancellationToken = default)
    {
        if (_loaded || _store is null)
            return;
        if (!_generatedKeyRetired)
        {
            var fresh = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            var stored = await _store.GetOrCreateTokenSecretAsync(fresh, cancellationToken).ConfigureAwait(false);
            _keys[0] = Convert.FromBase64String(stored);
        }
        _loaded = true;
    }

    /// <exception cref="InvalidOperationException">The keys were not loaded (<see cref="LoadSecretAsync"/>).</exception>
    public string Create(TokenPurpose purpose, long subscriberId, long listId, DateTimeOffset? expiresAt = null)
    {
        var key = _loaded ? _keys[_signingKey] : null;
        if (key is null)
            throw new InvalidOperationException(
                "The token secret is not loaded: call SubscriptionTokens.LoadSecretAsync once the database is ready.");
        Span<byte> token = stackalloc byte[TokenLength];
        token[0] = _signingKey;
        token[1] = (byte)purpose;
        BinaryPrimitives.WriteInt64BigEndian(token[2..], subscriberId);
        BinaryPrimitives.WriteInt64BigEndian(token[10..], listId);
        BinaryPrimitives.WriteInt64BigEndian(token[18..], expiresAt?.ToUnixTimeSeconds() ?? 0);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, token[..PayloadLength], mac);
        mac[..MacLength].CopyTo(token[PayloadLength..]);
        return Base64Url.EncodeToString(token);
    }

    /// <summary>
    /// A short token for an address's local part (a VERP envelope sender): base32 in lower case, read in any case,
    /// of key id · two varint numbers · the first 12 bytes of the HMAC over key id, purpose and the numbers. About
    /// 30 characters for everyday ids; it never expires.
    /// </summary>
    /// <exception cref="InvalidOperationException">The keys were not loaded (<see cref="LoadSecretAsync"/>).</exception>
    public string CreateCompact(TokenPurpose purpose, long first, long second)
    {
        var key = _loaded ? _keys[_signingKey] : null;
        if (key is null)
            throw new InvalidOperationException(
                "The token secret is not loaded: call SubscriptionTokens.LoadSecretAsync once the database is ready.");
        Span<byte> token = stackalloc byte[CompactMaxLength];
        token[0] = _signingKey;
        var length = 1 + WriteVarint(token[1..], (ulong)first);
        length += WriteVarint(token[length..], (ulong)second);
        CompactMac(key, purpose, token[..length]).CopyTo(token[length..]);
        return Base32.Encode(token[..(length + CompactMacLength)]);
    }

    /// <summary>The two numbers of a token made by <see cref="CreateCompact"/> for <paramref name="purpose"/>; false for any other.</summary>
    public bool TryReadCompact(string? token, TokenPurpose purpose, out long first, out long second)
    {
        (first, second) = (0, 0);
        if (!_loaded)
            throw new InvalidOperationException("The token secret is not loaded.");
        Span<byte> bytes = stackalloc byte[CompactMaxLength];
        if (token is null || token.Length > (CompactMaxLength * 8 + 4) / 5 || !Base32.TryDecode(token, bytes, out var written)
            || written < 1 + 2 + CompactMacLength || _keys[bytes[0]] is not { } key)
            return false;
        var payload = bytes[..(written - CompactMacLength)];
        if (!CryptographicOperations.FixedTimeEquals(CompactMac(key, purpose, payload), bytes[payload.Length..written]))
            return false;
        var read = ReadVarint(payload[1..], out var a);
        if (read == 0 || 1 + read + ReadVarint(payload[(1 + read)..], out var b) != payload.Length || a > long.MaxValue || b > long.MaxValue)
            return false;
        (first, second) = ((long)a, (long)b);
        return true;
    }

    private static byte[] CompactMac(byte[] key, TokenPurpose purpose, ReadOnlySpan<byte> payload)
    {
        // The purpose is signed but not sent: a token of one purpose cannot stand in for another.
        Span<byte> signed = stackalloc byte[payload.Length + 1];
        payload.CopyTo(signed);
        signed[^1] = (byte)purpose;
        return HMACSHA256.HashData(key, signed)[..CompactMacLength];
    }

    private static int WriteVarint(Span<byte> into, ulong value)
    {
        var length = 0;
        do
        {
            into[length++] = (byte)((value & 0x7F) | (value > 0x7F ? 0x80UL : 0));
            value >>= 7;
        }
        while (value != 0);
        return length;
    }

    /// <summary>Bytes read; 0 when the varint runs past the end or past 64 bits.</summary>
    private static int ReadVarint(ReadOnlySpan<byte> from, out ulong value)
    {
        value = 0;
        for (var i = 0; i < from.Length && i < 10; i++)
        {
            value |= (ulong)(from[i] & 0x7F) << (7 * i);
            if ((from[i] & 0x80) == 0)
                return i + 1;
        }
        return 0;
    }

    /// <summary>
    /// True if <paramref name="token"/> was made by us for <paramref name="purpose"/> with a key not retired.
    /// Expiry is left to the caller (<see cref="SubscriptionToken.IsExpired"/>), which can then say
    /// "expired" rather than "invalid".
    /// </summary>
    public bool TryRead(string? token, TokenPurpose purpose, out SubscriptionToken result)
    {
        result = default;
        if (!_loaded)
            throw new InvalidOperationException("The token secret is not loaded.");
        // Base64Url's decoders throw on foreign characters; a garbled link is an answer, not an exception.
        if (token is null || token.AsSpan().ContainsAnyExcept(UrlSafeAlphabet))
            return false;
        var length = token.Length == Base64Url.GetEncodedLength(TokenLength) ? TokenLength
            : token.Length == Base64Url.GetEncodedLength(LegacyTokenLength) ? LegacyTokenLength
            : 0;
        if (length == 0)
            return false;
        Span<byte> bytes = stackalloc byte[TokenLength];
        try
        {
            if (!Base64Url.TryDecodeFromChars(token, bytes, out var written) || written != length)
                return false;
        }
        catch (FormatException)
        {
            // Also thrown, not answered with false, when the last character sets bits past the token's bytes.
            return false;
        }
        // A legacy token is the same bytes without the key id in front, signed with key 0.
        var keyId = length == TokenLength ? bytes[0] : (byte)0;
        var signed = length == TokenLength ? bytes[..TokenLength] : bytes[..LegacyTokenLength];
        var payloadLength = length - MacLength;
        if (_keys[keyId] is not { } key)
            return false;
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, signed[..payloadLength], mac);
        if (!CryptographicOperations.FixedTimeEquals(mac[..MacLength], signed[payloadLength..]))
            return false;
        var fields = signed[(length == TokenLength ? 1 : 0)..payloadLength];
        if (fields[0] != (byte)purpose)
            return false;
        var expiry = BinaryPrimitives.ReadInt64BigEndian(fields[17..]);
        result = new SubscriptionToken(purpose,
            BinaryPrimitives.ReadInt64BigEndian(fields[1..]),
            BinaryPrimitives.ReadInt64BigEndian(fields[9..]),
            expiry == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(expiry));
        return true;
    }
}
