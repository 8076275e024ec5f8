using System.Buffers.Binary;
using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Newsletter.Subscribers;
using Newsletter.Tests.Infrastructure;

namespace Newsletter.Tests.Security;

/// <summary>
/// Signed links against a real server: a rotated-in key signs, the generated key and links made before
/// key ids still verify, an unknown key or an expired link does not, and a forwarded preferences link
/// shows neither the reader's address nor the lists they left.
/// </summary>
public sealed class SignedLinkTests
{
    private const string Email = "reader.private@example.org";

    [Fact]
    public async Task RotatedKeysVerifyExpiredLinksDoNotAndPreferencesRevealOnlyWhatUnsubscribingNeeds()
    {
        var connectionString = await TestPostgres.CreateMigratedDatabaseAsync("signed_links");
        var audience = new TestAudience(connectionString);
        var weekly = await audience.CreateListAsync("weekly-digest");
        var left = await audience.CreateListAsync("secret-hobby-club");
        var reader = await audience.SubscribeAsync(Email, weekly);
        await audience.SubscribeAsync(Email, left, status: "unsubscribed");
        var newest = RandomNumberGenerator.GetBytes(32);
        await using var server = await AttackedServer.StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings:Newsletter"] = connectionString,
            ["Newsletter:Subscribers:TokenKeys:1"] = Convert.ToBase64String(newest),
        });
        using var client = server.ClientFrom();
        var generated = Convert.FromBase64String(await audience.ScalarAsync<string>(
            "SELECT value FROM app_setting WHERE key = 'subscription_token_secret'"));
        var nextYear = DateTimeOffset.UtcNow.AddDays(365);

        var byNewest = SubscriptionTokens.FromSecret(newest, keyId: 1);
        var byGenerated = SubscriptionTokens.FromSecret(generated, keyId: 0);
        var byUnknown = SubscriptionTokens.FromSecret(RandomNumberGenerator.GetBytes(32), keyId: 2);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/unsubscribe", byNewest.Create(TokenPurpose.Unsubscribe, reader, weekly, nextYear)));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/unsubscribe", byGenerated.Create(TokenPurpose.Unsubscribe, reader, weekly, nextYear)));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/unsubscribe", LegacyToken(generated, TokenPurpose.Unsubscribe, reader, weekly)));
        Assert.Equal(HttpStatusCode.BadRequest, await StatusAsync(client, "/unsubscribe", byUnknown.Create(TokenPurpose.Unsubscribe, reader, weekly, nextYear)));

        var expired = byNewest.Create(TokenPurpose.Unsubscribe, reader, weekly, DateTimeOffset.UtcNow.AddDays(-1));
        using (var oneClick = await client.PostAsync($"/unsubscribe?token={expired}",
                   new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" })))
        {
            Assert.Equal(HttpStatusCode.BadRequest, oneClick.StatusCode);
            Assert.Contains("expired", await oneClick.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.BadRequest, await StatusAsync(client, "/preferences",
            byNewest.Create(TokenPurpose.Preferences, reader, 0, DateTimeOffset.UtcNow.AddDays(-1))));
        Assert.Equal("confirmed", await audience.ScalarAsync<string>(
            "SELECT status FROM subscriptions WHERE subscriber_id = @reader AND list_id = @weekly", new { reader, weekly }));

        // Someone holding a forwarded mail opens its preferences link.
        var page = await client.GetStringAsync($"/preferences?token={byNewest.Create(TokenPurpose.Preferences, reader, 0, nextYear)}");
        Assert.Contains("weekly-digest", page);
        Assert.DoesNotContain(Email, page);
        Assert.DoesNotContain("reader.private", page);
        Assert.DoesNotContain("secret-hobby-club", page);
        var unsubscribePage = await client.GetStringAsync($"/unsubscribe?token={byNewest.Create(TokenPurpose.Unsubscribe, reader, weekly, nextYear)}");
        Assert.DoesNotContain(Email, unsubscribePage);

        // Links the server makes itself are signed with the newest key and expire in a year and a day at most.
        var made = Regex.Match(unsubscribePage, @"/preferences\?token=(?<token>[A-Za-z0-9_-]+)").Groups["token"].Value;
        Assert.True(byNewest.TryRead(made, TokenPurpose.Preferences, out var link), $"not signed with key 1: {made}");
        Assert.InRange(link.ExpiresAt!.Value, DateTimeOffset.UtcNow.AddDays(365), DateTimeOffset.UtcNow.AddDays(366));
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path, string token)
    {
        using var response = await client.GetAsync($"{path}?token={token}");
        return response.StatusCode;
    }

    /// <summary>A link as made before key ids: purpose · subscriber · list · expiry (0: never) · HMAC, with the generated key.</summary>
    private static string LegacyToken(byte[] key, TokenPurpose purpose, long subscriberId, long listId)
    {
        var token = new byte[25 + 16];
        token[0] = (byte)purpose;
        BinaryPrimitives.WriteInt64BigEndian(token.AsSpan(1), subscriberId);
        BinaryPrimitives.WriteInt64BigEndian(token.AsSpan(9), listId);
        HMACSHA256.HashData(key, token.AsSpan(0, 25)).AsSpan(0, 16).CopyTo(token.AsSpan(25));
        return Base64Url.EncodeToString(token);
    }
}
