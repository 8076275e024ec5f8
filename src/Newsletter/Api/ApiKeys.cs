using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Newsletter.Api;

/// <summary>
/// Makes, checks and revokes API keys. A key reads <c>nl_PREFIX_SECRET</c>: the prefix (12 hex digits) finds its row,
/// the SHA-256 of the whole key is compared in constant time, and only that hash is stored.
/// </summary>
public sealed partial class ApiKeys(ApiKeyStore store, TimeProvider clock)
{
    public const string NameDescription = "1-64 letters, digits, '.', '_' and '-'";

    // Last use is written at most once a minute per key (note-use); this spares the call in between.
    private static readonly TimeSpan UseNotedEvery = TimeSpan.FromMinutes(1);

    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    /// <summary>Makes a key and stores its hash; returns the key, which cannot be had again.</summary>
    /// <exception cref="ApiKeyRefusedException">The name is not valid, or a key (live or revoked) has it already.</exception>
    public async Task<string> CreateAsync(string name, bool readOnly, CancellationToken cancellationToken = default)
    {
        if (!IsValidName(name))
            throw new ApiKeyRefusedException($"'{name}' is not a valid key name: use {NameDescription}.");
        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var key = $"nl_{prefix}_{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))}";
        if (!await store.CreateAsync(name, prefix, Hash(key), readOnly, cancellationToken).ConfigureAwait(false))
            throw new ApiKeyRefusedException($"There is already a key named '{name}'.");
        return key;
    }

    /// <exception cref="ApiKeyRefusedException">No live key has the name.</exception>
    public async Task RevokeAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!await store.RevokeAsync(name, cancellationToken).ConfigureAwait(false))
            throw new ApiKeyRefusedException($"There is no live key named '{name}'.");
    }

    public Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default) => store.ListAsync(cancellationToken);

    /// <summary>The caller a presented key stands for; null when it is no live key.</summary>
    public async Task<ApiCaller?> CheckAsync(string presented, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(presented);
        var match = KeyPattern().Match(presented);
        if (!match.Success)
            return null;
        var stored = await store.FindAsync(match.Groups["prefix"].Value, cancellationToken).ConfigureAwait(false);
        if (stored is null || !CryptographicOperations.FixedTimeEquals(Hash(presented), stored.KeyHash))
            return null;
        if (stored.LastUsedAt is not { } last || clock.GetUtcNow().UtcDateTime - DateTime.SpecifyKind(last, DateTimeKind.Utc) >= UseNotedEvery)
            await store.NoteUseAsync(stored.Id, cancellationToken).ConfigureAwait(false);
        return new ApiCaller(stored.Id, stored.Name, stored.ReadOnly);
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^nl_(?<prefix>[0-9a-f]{12})_[A-Za-z0-9_-]{43}$")]
    private static partial Regex KeyPattern();
}
