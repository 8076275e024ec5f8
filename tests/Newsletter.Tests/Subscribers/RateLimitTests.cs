using System.Net;
using Newsletter.Tests.Infrastructure;

namespace Newsletter.Tests.Subscribers;

public sealed class RateLimitedApp : TestApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [new("Newsletter:Subscribers:RequestsPerMinute", "3")];
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
}
