using System.Net;
using System.Text.Json;
using Newsletter.Tests.Infrastructure;

namespace Newsletter.Tests.Operations;

public sealed class HealthTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task HealthzReportsDatabaseHangfireAndSmtpOk()
    {
        using var client = app.CreateClient();

        var response = await client.GetAsync("/healthz");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", body.RootElement.GetProperty("database").GetString());
        Assert.StartsWith("ok", body.RootElement.GetProperty("hangfire").GetString());
        Assert.Equal("ok", body.RootElement.GetProperty("smtp").GetString());
    }
}
