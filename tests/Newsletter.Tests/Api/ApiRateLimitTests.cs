namespace Newsletter.Tests.Api;

/// <summary>The per-key rate limit of a real server set to <see cref="ThrottledApiServer.RequestsPerMinute"/> a minute.</summary>
public sealed class ApiRateLimitTests(ThrottledApiServer api) : IClassFixture<ThrottledApiServer>
{
    [Fact]
    public async Task AKeyOverItsLimitGetsTooManyRequestsWithRetryAfterWhileAnotherKeyGoesOn()
    {
        var answers = new List<ApiAnswer>();
        for (var i = 0; i < ThrottledApiServer.RequestsPerMinute + 1; i++)
            answers.Add(await api.GetAsync(api.WriterKey, "/api/v1/lists"));
        var otherKey = await api.GetAsync(api.ReaderKey, "/api/v1/lists");

        Assert.All(answers.Take(ThrottledApiServer.RequestsPerMinute), a => Assert.Equal(200, a.Status));
        var refused = answers[^1];
        Assert.Equal(429, refused.Status);
        Assert.Equal("application/problem+json", refused.MediaType);
        Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single()), 1, 60);
        Assert.Equal(200, otherKey.Status);
    }
}
