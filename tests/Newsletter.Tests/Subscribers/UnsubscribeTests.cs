using System.Net;

namespace Newsletter.Tests.Subscribers;

public sealed class UnsubscribeTests(SubscribersTestApp app) : IClassFixture<SubscribersTestApp>
{
    [Fact]
    public async Task OneClickPostWithoutCookiesUnsubscribesAndAnswers200()
    {
        var (listId, subscriberId, email) = await SubscribedAsync();
        var url = app.Links.OneClickUnsubscribeUrl(subscriberId, listId);
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = app.BaseAddress };

        var response = await client.PostAsync(new Uri(url).PathAndQuery,
            new StringContent("List-Unsubscribe=One-Click", System.Text.Encoding.ASCII, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("unsubscribed", await app.StatusAsync(email, listId));
        Assert.Equal("one-click 127.0.0.1", await app.ScalarAsync<string>(
            "SELECT source || ' ' || host(ip) FROM consent_events WHERE subscriber_id = $1 AND action = 'unsubscribed'", subscriberId));
    }

    [Fact]
    public async Task RepeatedOneClickAnswers200AndLogsOneEvent()
    {
        var (listId, subscriberId, _) = await SubscribedAsync();
        var url = new Uri(app.Links.OneClickUnsubscribeUrl(subscriberId, listId)).PathAndQuery;
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = app.BaseAddress };

        foreach (var _ in Enumerable.Range(0, 2))
        {
            var response = await client.PostAsync(url,
                new StringContent("List-Unsubscribe=One-Click", System.Text.Encoding.ASCII, "application/x-www-form-urlencoded"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(1L, await app.ScalarAsync<long>(
            "SELECT count(*) FROM consent_events WHERE subscriber_id = $1 AND list_id = $2 AND action = 'unsubscribed'", subscriberId, listId));
    }

    [Fact]
    public async Task GetShowsAButtonAndChangesNothing()
    {
        var (listId, subscriberId, email) = await SubscribedAsync();
        using var client = app.CreateClient();
        var path = new Uri(app.Links.UnsubscribeUrl(subscriberId, listId)).PathAndQuery;

        var response = await client.GetAsync(path);
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"<form method=\"post\" action=\"{WebUtility.HtmlEncode(path)}\">", page);
        Assert.Contains("Unsubscribe from everything", page);
        Assert.Contains("/preferences?token=", page);
        Assert.Equal("confirmed", await app.StatusAsync(email, listId));
    }

    [Fact]
    public async Task ForgedOrTruncatedTokensGet400AndChangeNothing()
    {
        var (listId, subscriberId, email) = await SubscribedAsync();
        var path = new Uri(app.Links.UnsubscribeUrl(subscriberId, listId)).PathAndQuery;
        using var client = app.CreateClient();
        var forged = path[..^3] + (path[^3] == 'A' ? "B" : "A") + path[^2..];

        foreach (var bad in new[] { forged, path[..^4], "/unsubscribe?token=garbage", "/unsubscribe" })
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync(bad,
                new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }))).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync(bad)).StatusCode);
        }
        Assert.Equal("confirmed", await app.StatusAsync(email, listId));
    }

    [Fact]
    public async Task UnsubscribeFromEverythingSuppressesTheAddress()
    {
        var (listId, subscriberId, email) = await SubscribedAsync();
        var other = await app.CreateListAsync(doubleOptIn: false);
        await app.Store.SubscribeAsync(other, email, "", new Newsletter.Subscribers.ConsentContext("test"));
        using var client = app.CreateClient();

        var response = await client.PostAsync(new Uri(app.Links.UnsubscribeUrl(subscriberId, listId)).PathAndQuery,
            new FormUrlEncodedContent(new Dictionary<string, string> { ["scope"] = "all" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("unsubscribed", await app.StatusAsync(email, listId));
        Assert.Equal("unsubscribed", await app.StatusAsync(email, other.Id));
        Assert.Equal("unsubscribed_all", await app.ScalarAsync<string>("SELECT reason FROM suppressions WHERE email_lower = lower($1)", email));

        // "We will not write again": a form post changes nothing and mails nothing (OptOutStandsTests has the rest).
        await client.PostAsync("/subscribe", new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = email, ["list"] = other.Slug }));
        Assert.Equal("unsubscribed", await app.StatusAsync(email, other.Id));
    }

    [Fact]
    public async Task PreferencesPageListsTheSubscribersLists()
    {
        var (listId, subscriberId, _) = await SubscribedAsync();
        using var client = app.CreateClient();

        var response = await client.GetAsync(new Uri(app.Links.PreferencesUrl(subscriberId)).PathAndQuery);
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains((await app.ScalarAsync<string>("SELECT name FROM lists WHERE id = $1", listId))!, page);
        Assert.Contains("subscribed", page);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/preferences?token=nope")).StatusCode);
    }

    private async Task<(long ListId, long SubscriberId, string Email)> SubscribedAsync()
    {
        var list = await app.CreateListAsync(doubleOptIn: false);
        var email = $"reader-{Guid.NewGuid():N}@example.com";
        var result = await app.Store.SubscribeAsync(list, email, "Reader", new Newsletter.Subscribers.ConsentContext("test"));
        return (list.Id, result.SubscriberId!.Value, email);
    }
}
