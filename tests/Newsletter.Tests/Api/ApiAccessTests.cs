using System.Text.RegularExpressions;

namespace Newsletter.Tests.Api;

/// <summary>Every operation of the served OpenAPI document, called without a key, with a read-only key and with a revoked one.</summary>
public sealed partial class ApiAccessTests(ApiServer api) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task EveryEndpointWithoutAKeyIsUnauthorized()
    {
        var operations = api.Contract.Operations().ToList();
        Assert.True(operations.Count >= 4, "the document lists the API's operations");
        foreach (var (method, template) in operations)
        {
            var answer = await api.CallAsync(null, new HttpMethod(method), Concrete(template), new { });

            Assert.True(answer.Status == 401, $"{method} {template} without a key: {answer.Status}");
            Assert.Equal("application/problem+json", answer.MediaType);
            Assert.Contains("Bearer", answer.Headers.WwwAuthenticate.ToString());
        }
    }

    [Fact]
    public async Task EveryWriteWithAReadOnlyKeyIsForbidden()
    {
        foreach (var (method, template) in api.Contract.Operations().Where(o => o.Method != "GET"))
        {
            var answer = await api.CallAsync(api.ReaderKey, new HttpMethod(method), Concrete(template), new { });

            Assert.True(answer.Status == 403, $"{method} {template} with a read-only key: {answer.Status} {answer.Body}");
            Assert.Contains("read-only", answer.Json.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task AReadOnlyKeyReads()
    {
        var answer = await api.GetAsync(api.ReaderKey, "/api/v1/lists");

        Assert.Equal(200, answer.Status);
    }

    [Fact]
    public async Task AWrongOrRevokedKeyIsUnauthorized()
    {
        var key = ApiServer.KeyIn(await api.App.RunCliAsync("api-keys", "create", "to-revoke"));
        Assert.Equal(200, (await api.GetAsync(key, "/api/v1/lists")).Status);

        await api.App.RunCliAsync("api-keys", "revoke", "to-revoke");

        Assert.Equal(401, (await api.GetAsync(key, "/api/v1/lists")).Status);
        Assert.Equal(401, (await api.GetAsync(key[..^1] + (key[^1] == 'A' ? 'B' : 'A'), "/api/v1/lists")).Status);
        Assert.Equal(401, (await api.GetAsync("not-a-key", "/api/v1/lists")).Status);
    }

    [Fact]
    public async Task ATakenNameOrAnUnknownKeyIsRefusedByTheCli()
    {
        await using var taken = Newsletter.Tests.Infrastructure.ServerProcess.Run(api.App.Settings, "api-keys", "create", "ci");
        await using var unknown = Newsletter.Tests.Infrastructure.ServerProcess.Run(api.App.Settings, "api-keys", "revoke", "nobody");

        Assert.Equal(1, await taken.WaitForExitAsync(TimeSpan.FromSeconds(120)));
        Assert.Contains("newsletter: There is already a key named 'ci'.", taken.Output);
        Assert.Equal(1, await unknown.WaitForExitAsync(TimeSpan.FromSeconds(120)));
        Assert.Contains("newsletter: There is no live key named 'nobody'.", unknown.Output);
    }

    [Fact]
    public async Task KeyListShowsLastUseAndRevocationButNoKey()
    {
        await api.GetAsync(api.ReaderKey, "/api/v1/lists");

        var list = await api.App.RunCliAsync("api-keys", "list");

        Assert.Matches(@"dashboard\s+read-only\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\s+\d{4}-", list);
        Assert.DoesNotContain("nl_", list);
    }

    [Fact]
    public async Task TheOpenApiDocumentDeclaresTheBearerSchemeAndTheBodyLimit()
    {
        var document = api.Contract.Document;

        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey").GetProperty("scheme").GetString());
        Assert.Contains("1 MB", document.GetProperty("info").GetProperty("description").GetString());
        Assert.DoesNotContain(document.GetProperty("paths").EnumerateObject(), p => !p.Name.StartsWith("/api/v1/"));
    }

    [Fact]
    public void TheContractRefusesWhatTheDocumentDoesNotDeclare()
    {
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() =>
            api.Contract.Check(HttpMethod.Get, "/api/v1/lists/weekly", 200, "application/json", """{"slug": 5, "name": "Weekly"}"""));
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() =>
            api.Contract.Check(HttpMethod.Get, "/api/v1/lists/weekly", 418, "application/problem+json", """{"status": 418}"""));
        api.Contract.Check(HttpMethod.Get, "/api/v1/lists/weekly", 200, "application/json",
            """{"slug": "weekly", "name": "Weekly", "description": "", "doubleOptIn": true, "confirmed": 0, "unconfirmed": 0, "unsubscribed": 0}""");
    }

    [Fact]
    public async Task TheInteractiveReferenceIsForSignedInAdminsOnly()
    {
        using var anonymous = api.App.CreateClient();
        using var admin = api.App.CreateClient();
        await Newsletter.Tests.Infrastructure.TestApp.LogInAsync(admin, Newsletter.Tests.Infrastructure.TestApp.AdminUser,
            Newsletter.Tests.Infrastructure.TestApp.AdminPassword);

        var refused = await anonymous.GetAsync("/admin/api/");
        var page = await admin.GetAsync("/admin/api/");

        Assert.Equal(System.Net.HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("openapi/v1.json", await page.Content.ReadAsStringAsync());
        Assert.Contains("script-src 'self' 'unsafe-inline'", page.Headers.GetValues("Content-Security-Policy").Single());
    }

    // Placeholders stand for ids and slugs that need not exist: authentication answers before any lookup.
    private static string Concrete(string template) => Placeholder().Replace(template, "1");

    [GeneratedRegex(@"\{[^}]+}")]
    private static partial Regex Placeholder();
}
