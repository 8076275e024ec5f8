using System.Net;
using Newsletter.Tests.Infrastructure;

namespace Newsletter.Tests.Subscribers;

public sealed class RateLimitedApp : TestApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [new("Newsletter:Subscribers:SubscribeRequestsPerMinute", "2"), new("Newsletter:Subscribers:LinkRequestsPerMinute", "3")];
}

public sealed class RateLimitTests(RateLimitedApp app) : IClassFixture<RateLimitedApp>
{
    [Fact]
    public async Task PublicPagesAnswer429PastTheLimitPerClient()
    {
        using var client = app.CreateClient();
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
            codes.Add((await client.GetAsync("/unsubscribe?token=x")).StatusCode);

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest,
            HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], codes);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task SignUpsHaveTheirOwnStricterLimit()
    {
        using var client = app.CreateClient();
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
            codes.Add((await client.PostAsync("/subscribe", new FormUrlEncodedContent(
                new Dictionary<string, string> { ["email"] = $"r{i}@example.com", ["list"] = "none" }))).StatusCode);

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests], codes);
    }
}
