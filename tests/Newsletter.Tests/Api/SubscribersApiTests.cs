namespace Newsletter.Tests.Api;

/// <summary><c>/api/v1/subscribers</c> and <c>/api/v1/suppressions</c> against a real server: upserts, consent changes, paging.</summary>
public sealed class SubscribersApiTests(ApiServer api) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task UpsertCreatesThenUpdatesByAddressInAnyCase()
    {
        var list = await api.App.CreateListAsync(doubleOptIn: true);

        var created = await Put(new { email = "Ann@Example.com", name = "Ann", attributes = new { plan = "pro" }, lists = new[] { list.Slug }, confirmed = true });
        var updated = await Put(new { email = "ann@example.com", attributes = new { city = "Oslo" } });

        Assert.Equal(201, created.Status);
        Assert.Equal(200, updated.Status);
        Assert.Equal(created.Json.GetProperty("id").GetInt64(), updated.Json.GetProperty("id").GetInt64());
        Assert.Equal("Ann", updated.Json.GetProperty("name").GetString());
        Assert.Equal("pro", updated.Json.GetProperty("attributes").GetProperty("plan").GetString());
        Assert.Equal("Oslo", updated.Json.GetProperty("attributes").GetProperty("city").GetString());
        Assert.Equal("confirmed", updated.Json.GetProperty("lists")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task AnAddressWithANonAsciiCapitalIsStoredWithItsLists()
    {
        // The cluster has no locale: its lower() leaves É alone, where .NET's would make it é.
        var list = await api.App.CreateListAsync(doubleOptIn: false);

        var single = await Put(new { email = "Élodie@example.com", lists = new[] { list.Slug }, confirmed = true });
        var batch = await api.CallAsync(api.WriterKey, HttpMethod.Post, "/api/v1/subscribers/batch",
            new { subscribers = new[] { new { email = "Œdipe@example.com", lists = new[] { list.Slug }, confirmed = true } } });

        Assert.Equal(201, single.Status);
        Assert.Equal("confirmed", single.Json.GetProperty("lists")[0].GetProperty("status").GetString());
        Assert.Equal(200, batch.Status);
        Assert.Equal("confirmed", await api.App.StatusAsync("Œdipe@example.com", list.Id));
    }

    [Fact]
    public async Task ASubscriberIsReadAndSuppressedByIdWithTheReasonKept()
    {
        var id = (await Put(new { email = "sue@example.com", name = "Sue" })).Json.GetProperty("id").GetInt64();

        var read = await api.GetAsync(api.ReaderKey, $"/api/v1/subscribers/{id}");
        var suppressed = await api.CallAsync(api.WriterKey, HttpMethod.Post, $"/api/v1/subscribers/{id}/suppress", new { reason = "asked by mail" });

        Assert.Equal("Sue", read.Json.GetProperty("name").GetString());
        Assert.Equal(200, suppressed.Status);
        Assert.Equal("manual", suppressed.Json.GetProperty("suppression").GetString());
        Assert.Equal("asked by mail", await api.App.Audience.ScalarAsync<string>(
            "SELECT detail FROM suppressions WHERE email_lower = 'sue@example.com'"));
        Assert.Equal(404, (await api.GetAsync(api.ReaderKey, "/api/v1/subscribers/999999")).Status);
    }

    [Fact]
    public async Task ADoubleOptInUpsertWaitsAndMailsTheConfirmation()
    {
        var list = await api.App.CreateListAsync(doubleOptIn: true);

        var answer = await Put(new { email = "dora@example.com", lists = new[] { list.Slug } });

        Assert.Equal("unconfirmed", answer.Json.GetProperty("lists")[0].GetProperty("status").GetString());
        Assert.NotNull(await api.App.Smtp.MailToAsync("dora@example.com", ""));
    }

    [Fact]
    public async Task BadInputNamesTheFieldInTheImportsWords()
    {
        var single = await Put(new { email = "not an address", lists = new[] { "Bad Slug" } });
        var batch = await api.CallAsync(api.WriterKey, HttpMethod.Post, "/api/v1/subscribers/batch",
            new { subscribers = new object[] { new { email = "ok@example.com" }, new { email = "two@@example.com" } } });
        var unknown = await Put(new { email = "eve@example.com", lists = new[] { "no-such-list" } });

        Assert.Equal(400, single.Status);
        Assert.Equal(["not a single plain address"], single.Errors("email"));
        Assert.NotEmpty(single.Errors("lists"));
        Assert.Equal(["not a valid email address"], batch.Errors("subscribers[1].email"));
        Assert.Empty(batch.Errors("subscribers[0].email"));
        Assert.Equal(["No list with the slug 'no-such-list'."], unknown.Errors("lists"));
    }

    [Fact]
    public async Task ASuppressedAddressIsNotSubscribedAgain()
    {
        var list = await api.App.CreateListAsync(doubleOptIn: false);
        await api.App.Audience.SuppressAsync("gone@example.com");

        var single = await Put(new { email = "gone@example.com", lists = new[] { list.Slug }, confirmed = true });
        var batch = await api.CallAsync(api.WriterKey, HttpMethod.Post, "/api/v1/subscribers/batch", new
        {
            subscribers = new object[]
            {
                new { email = "gone@example.com", lists = new[] { list.Slug } },
                new { email = "kept@example.com", lists = new[] { list.Slug } },
            },
        });

        Assert.Equal(409, single.Status);
        Assert.Equal(1, batch.Json.GetProperty("created").GetInt32());
        Assert.Equal(["gone@example.com"], batch.Json.GetProperty("suppressed").EnumerateArray().Select(e => e.GetString()));
        Assert.Null(await api.App.StatusAsync("gone@example.com", list.Id));
        Assert.Equal("confirmed", await api.App.StatusAsync("kept@example.com", list.Id));
    }

    [Fact]
    public async Task AnOptOutStandsAgainstAnUpsert()
    {
        var list = await api.App.CreateListAsync(doubleOptIn: false);
        var id = (await Put(new { email = "left@example.com", lists = new[] { list.Slug } })).Json.GetProperty("id").GetInt64();

        var unsubscribed = await api.CallAsync(api.WriterKey, HttpMethod.Post, $"/api/v1/subscribers/{id}/unsubscribe", new { list = list.Slug });
        await Put(new { email = "left@example.com", lists = new[] { list.Slug }, confirmed = true });
        var consent = await api.GetAsync(api.ReaderKey, $"/api/v1/subscribers/{id}/consent");

        Assert.Equal(200, unsubscribed.Status);
        Assert.Equal("unsubscribed", await api.App.StatusAsync("left@example.com", list.Id));
        Assert.Equal(["subscribed", "unsubscribed"], consent.Json.EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        Assert.All(consent.Json.EnumerateArray(), e => Assert.Equal("api", e.GetProperty("source").GetString()));
    }

    [Fact]
    public async Task UnsubscribeAllSuppressesAndEraseLeavesOnlyTheHash()
    {
        var list = await api.App.CreateListAsync(doubleOptIn: false);
        var id = (await Put(new { email = "all@example.com", lists = new[] { list.Slug } })).Json.GetProperty("id").GetInt64();

        var all = await api.CallAsync(api.WriterKey, HttpMethod.Post, $"/api/v1/subscribers/{id}/unsubscribe", new { all = true });
        var erased = await api.CallAsync(api.WriterKey, HttpMethod.Delete, $"/api/v1/subscribers/{id}");
        var after = await api.GetAsync(api.ReaderKey, $"/api/v1/subscribers/{id}");
        var missing = await api.CallAsync(api.WriterKey, HttpMethod.Post, $"/api/v1/subscribers/{id}/unsubscribe", new { });

        Assert.Equal("unsubscribed_all", all.Json.GetProperty("suppression").GetString());
        Assert.Equal(200, erased.Status);
        Assert.True(erased.Json.GetProperty("subscriberErased").GetBoolean());
        Assert.Equal(404, after.Status);
        Assert.Equal(["Name the list to unsubscribe from, or give all: true."], missing.Errors("list"));
        Assert.Equal(0, await api.App.Audience.ScalarAsync<long>("SELECT count(*) FROM subscribers WHERE lower(email) = 'all@example.com'"));
    }

    [Fact]
    public async Task SearchPagesByCursor()
    {
        var batch = Enumerable.Range(0, 5).Select(i => new { email = $"pager{i}@example.com" }).ToArray();
        await api.CallAsync(api.WriterKey, HttpMethod.Post, "/api/v1/subscribers/batch", new { subscribers = batch });

        var first = await api.GetAsync(api.ReaderKey, "/api/v1/subscribers?q=pager&limit=3");
        var second = await api.GetAsync(api.ReaderKey,
            $"/api/v1/subscribers?q=pager&limit=3&cursor={Uri.EscapeDataString(first.Json.GetProperty("nextCursor").GetString()!)}");
        var broken = await api.GetAsync(api.ReaderKey, "/api/v1/subscribers?q=pager&cursor=nonsense");

        Assert.Equal(3, first.Json.GetProperty("matches").GetArrayLength());
        Assert.Equal(2, second.Json.GetProperty("matches").GetArrayLength());
        Assert.Null(second.Json.GetProperty("nextCursor").GetString());
        Assert.Equal(400, broken.Status);
        Assert.NotEmpty(broken.Errors("cursor"));
    }

    [Fact]
    public async Task SuppressionsAreAddedPagedAndRemoved()
    {
        foreach (var i in Enumerable.Range(0, 3))
            Assert.Equal(201, (await api.CallAsync(api.WriterKey, HttpMethod.Post, "/api/v1/suppressions",
                new { email = $"zz-blocked{i}@example.com", reason = "asked by phone" })).Status);
        var again = await api.CallAsync(api.WriterKey, HttpMethod.Post, "/api/v1/suppressions", new { email = "zz-blocked0@example.com" });

        var pages = new List<string>();
        string? cursor = null;
        do
        {
            var page = await api.GetAsync(api.ReaderKey, "/api/v1/suppressions?limit=2" + (cursor is null ? "" : $"&cursor={cursor}"));
            pages.AddRange(page.Json.GetProperty("suppressions").EnumerateArray().Select(s => s.GetProperty("email").GetString()!));
            cursor = page.Json.GetProperty("nextCursor").GetString();
        } while (cursor is not null);
        var removed = await api.CallAsync(api.WriterKey, HttpMethod.Post, "/api/v1/suppressions/remove", new { email = "zz-blocked1@example.com" });
        var notThere = await api.CallAsync(api.WriterKey, HttpMethod.Post, "/api/v1/suppressions/remove", new { email = "zz-blocked1@example.com" });
        var bad = await api.CallAsync(api.WriterKey, HttpMethod.Post, "/api/v1/suppressions", new { email = "" });
        // Valid base64url, but of bytes that are not UTF-8 (0xFF 0xFE).
        var notText = await api.GetAsync(api.ReaderKey, "/api/v1/suppressions?cursor=__4");

        Assert.Equal(200, again.Status);
        Assert.Equal(pages.Order(StringComparer.Ordinal), pages);
        Assert.Contains("zz-blocked2@example.com", pages);
        Assert.Equal(200, removed.Status);
        Assert.Equal(404, notThere.Status);
        Assert.Equal(["no email address"], bad.Errors("email"));
        Assert.Equal(400, notText.Status);
        Assert.NotEmpty(notText.Errors("cursor"));
    }

    private Task<ApiAnswer> Put(object body) => api.CallAsync(api.WriterKey, HttpMethod.Put, "/api/v1/subscribers", body);
}
