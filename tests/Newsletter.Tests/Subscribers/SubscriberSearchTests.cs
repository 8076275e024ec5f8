using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Subscribers;
using Npgsql;

namespace Newsletter.Tests.Subscribers;

public sealed class SubscriberSearchTests(SubscribersTestApp app) : IClassFixture<SubscribersTestApp>
{
    private SubscriberSearch Search => app.Services.GetRequiredService<SubscriberSearch>();

    [Fact]
    public async Task FindsAddressesAndNamesByPrefixWhateverTheCase()
    {
        var tag = Tag();
        await AddAsync(($"{tag}ada@example.com", "Ada Lovelace"), ($"grace-{tag}@example.com", $"{tag.ToUpperInvariant()} Grace"),
            ($"other-{tag}@example.com", "Nobody"));

        var page = await Search.SearchAsync(tag.ToUpperInvariant());

        // In the order of the text matched: "<tag> grace" before "<tag>ada@…".
        Assert.Equal([$"grace-{tag}@example.com", $"{tag}ada@example.com"], page.Matches.Select(m => m.Email));
        Assert.Equal([true, false], page.Matches.Select(m => m.ByName));
        Assert.Null(page.NextCursor);
        Assert.Equal([$"{tag}ada@example.com"], (await Search.SearchAsync($"  {tag}AD ")).Matches.Select(m => m.Email));
    }

    [Fact]
    public async Task PagesFollowTheCursorWithEveryMatchOnceInTheOrderOfTheTextMatched()
    {
        var tag = Tag();
        var people = Enumerable.Range(0, 23).Select(i => i % 3 == 0
                ? ($"{tag}{i:00}@example.com", i % 2 == 0 ? $"{tag} also by name {i}" : "")
                : ($"p{i}-{tag}@example.com", $"{tag}{i:00} Person"))
            .ToArray();
        await AddAsync(people);

        var seen = new List<SubscriberMatch>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await Search.SearchAsync(tag, cursor, limit: 5);
            Assert.True(page.Matches.Count is > 0 and <= 5);
            seen.AddRange(page.Matches);
            cursor = page.NextCursor;
            pages++;
        } while (cursor is not null);

        Assert.Equal(5, pages);
        Assert.Equal(people.Select(p => p.Item1).Order(StringComparer.Ordinal), seen.Select(m => m.Email).Order(StringComparer.Ordinal));
        var keys = seen.Select(m => (m.ByName ? m.Name : m.Email).ToLowerInvariant()).ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
    }

    [Fact]
    public async Task APersonWhoseNameStartsAsTheirAddressIsFoundOnceByEitherText()
    {
        var tag = Tag();
        // Name and address share the tag and more (9+ characters), or only the tag's first letters.
        await AddAsync(($"{tag}.lee@example.com", $"{tag} Lee"), ($"{tag[..3]}-other@example.com", $"{tag}-Kim"));

        Assert.Equal([$"{tag[..3]}-other@example.com", $"{tag}.lee@example.com"], (await Search.SearchAsync(tag)).Matches.Select(m => m.Email));
        Assert.Equal([(true, $"{tag}.lee@example.com")], (await Search.SearchAsync($"{tag} l")).Matches.Select(m => (m.ByName, m.Email)));
        Assert.Equal([(false, $"{tag}.lee@example.com")], (await Search.SearchAsync($"{tag}.L")).Matches.Select(m => (m.ByName, m.Email)));
        Assert.Equal([(true, $"{tag[..3]}-other@example.com")], (await Search.SearchAsync($"{tag}-")).Matches.Select(m => (m.ByName, m.Email)));
    }

    [Fact]
    public async Task LikeWildcardsInTheTextAreOrdinaryCharacters()
    {
        var tag = Tag();
        await AddAsync(($"{tag}x@example.com", "X"), ($"{tag}%y@example.com", "Y"));

        Assert.Equal([$"{tag}%y@example.com"], (await Search.SearchAsync($"{tag}%")).Matches.Select(m => m.Email));
        Assert.Empty((await Search.SearchAsync($"{tag}_")).Matches);
        Assert.Empty((await Search.SearchAsync("   ")).Matches);
    }

    [Fact]
    public async Task ACursorNoSearchReturnedIsRefused()
    {
        await Assert.ThrowsAsync<InvalidSearchCursorException>(() => Search.SearchAsync("a", "not-a-cursor"));
        await Assert.ThrowsAsync<InvalidSearchCursorException>(() => Search.SearchAsync("a", "12.%%%"));
    }

    private static string Tag() => "s" + Guid.NewGuid().ToString("N")[..8];

    private async Task AddAsync(params (string Email, string Name)[] people)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.ExecuteAsync("INSERT INTO subscribers (email, name) SELECT * FROM unnest(@emails, @names)",
            new { emails = people.Select(p => p.Email).ToArray(), names = people.Select(p => p.Name).ToArray() });
    }
}
