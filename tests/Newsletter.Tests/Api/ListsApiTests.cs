namespace Newsletter.Tests.Api;

/// <summary><c>/api/v1/lists</c> against a real server: the documented answers, and the CLI's words for bad input.</summary>
public sealed class ListsApiTests(ApiServer api) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task CreatedListIsReadBackWithItsCounts()
    {
        var created = await api.CallAsync(api.WriterKey, HttpMethod.Post, "/api/v1/lists",
            new { slug = "weekly-created", name = "The Weekly", description = "Once a week" });
        await api.App.Audience.SubscribeAsync("ann@example.com", await api.App.Audience.ScalarAsync<long>(
            "SELECT id FROM lists WHERE slug = 'weekly-created'"));

        var read = await api.GetAsync(api.ReaderKey, "/api/v1/lists/weekly-created");

        Assert.Equal(201, created.Status);
        Assert.Equal("/api/v1/lists/weekly-created", created.Headers.Location?.OriginalString);
        Assert.True(created.Json.GetProperty("doubleOptIn").GetBoolean());
        Assert.Equal(200, read.Status);
        Assert.Equal("The Weekly", read.Json.GetProperty("name").GetString());
        Assert.Equal(1, read.Json.GetProperty("confirmed").GetInt64());
        Assert.Contains((await api.GetAsync(api.ReaderKey, "/api/v1/lists")).Json.EnumerateArray(),
            l => l.GetProperty("slug").GetString() == "weekly-created");
    }

    [Fact]
    public async Task PostingABadSlugAndNoNameNamesBothFieldsInTheCliWords()
    {
        var answer = await api.CallAsync(api.WriterKey, HttpMethod.Post, "/api/v1/lists", new { slug = "Bad Slug" });

        Assert.Equal(400, answer.Status);
        Assert.Equal("application/problem+json", answer.MediaType);
        Assert.Equal(["'Bad Slug' is not a valid slug: use 1-64 lower-case letters, digits and '-', starting with a letter or digit."],
            answer.Errors("slug"));
        Assert.NotEmpty(answer.Errors("name"));
    }

    [Fact]
    public async Task ASlugTakenIsAConflict()
    {
        await api.CallAsync(api.WriterKey, HttpMethod.Post, "/api/v1/lists", new { slug = "taken", name = "Taken" });

        var again = await api.CallAsync(api.WriterKey, HttpMethod.Post, "/api/v1/lists", new { slug = "taken", name = "Taken" });

        Assert.Equal(409, again.Status);
        Assert.Equal("There is already a list 'taken'.", again.Json.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task PatchChangesOnlyTheFieldsGiven()
    {
        await api.CallAsync(api.WriterKey, HttpMethod.Post, "/api/v1/lists", new { slug = "patched", name = "Before", description = "kept" });

        var changed = await api.CallAsync(api.WriterKey, HttpMethod.Patch, "/api/v1/lists/patched", new { name = "After", doubleOptIn = false });

        Assert.Equal(200, changed.Status);
        Assert.Equal("After", changed.Json.GetProperty("name").GetString());
        Assert.Equal("kept", changed.Json.GetProperty("description").GetString());
        Assert.False(changed.Json.GetProperty("doubleOptIn").GetBoolean());
        Assert.Equal(404, (await api.CallAsync(api.WriterKey, HttpMethod.Patch, "/api/v1/lists/nowhere", new { name = "x" })).Status);
    }

    [Fact]
    public async Task UnknownListIsNotFoundProblem()
    {
        var answer = await api.GetAsync(api.WriterKey, "/api/v1/lists/nowhere");

        Assert.Equal(404, answer.Status);
        Assert.Equal("No list with the slug 'nowhere'.", answer.Json.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ABodyOverOneMegabyteIsRefusedAsTooLarge()
    {
        var answer = await api.CallAsync(api.WriterKey, HttpMethod.Post, "/api/v1/lists",
            new { slug = "huge", name = new string('x', 1_100_000) });

        Assert.Equal(413, answer.Status);
        Assert.Equal("application/problem+json", answer.MediaType);
    }

    [Fact]
    public async Task BrokenJsonIsABadRequestProblem()
    {
        var answer = await api.CallAsync(api.WriterKey, HttpMethod.Post, "/api/v1/lists",
            content: new StringContent("{\"slug\": ", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(400, answer.Status);
        Assert.Equal("application/problem+json", answer.MediaType);
    }
}
