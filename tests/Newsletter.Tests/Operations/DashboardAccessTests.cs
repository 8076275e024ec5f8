using System.Net;
using System.Text.RegularExpressions;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Tests.Infrastructure;
using Npgsql;

namespace Newsletter.Tests.Operations;

public sealed class DashboardAccessTests : IClassFixture<TestApp>
{
    private const string ProbeJob = "dashboard-probe";
    private readonly TestApp app;

    public DashboardAccessTests(TestApp app)
    {
        this.app = app;
        // A recurring job gives the dashboard something to offer commands for.
        app.Services.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate(ProbeJob, () => Console.WriteLine("probe"), Cron.Never);
    }

    [Fact]
    public async Task AnonymousLoopbackRequestIsSentToLoginNotDashboard()
    {
        using var client = app.CreateClient();

        var response = await client.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task AnonymousRequestForDashboardApiIsNotServed()
    {
        using var client = app.CreateClient();

        var response = await client.GetAsync("/hangfire/stats");

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AdminLoginOpensDashboardWithControls()
    {
        using var client = app.CreateClient();

        var login = await TestApp.LogInAsync(client, TestApp.AdminUser, TestApp.AdminPassword);
        var dashboard = await client.GetAsync("/hangfire/recurring");

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/hangfire", login.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        var page = await dashboard.Content.ReadAsStringAsync();
        Assert.Contains(ProbeJob, page);
        Assert.Contains("js-jobs-list-command", page);
    }

    [Fact]
    public async Task OpsLoginOpensDashboardReadOnly()
    {
        using var client = app.CreateClient();

        await TestApp.LogInAsync(client, TestApp.OpsUser, TestApp.OpsPassword);
        var dashboard = await client.GetAsync("/hangfire/recurring");
        var page = await dashboard.Content.ReadAsStringAsync();
        var triggered = await TriggerCountAsync();
        var command = await PostCommandAsync(client, page);

        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains(ProbeJob, page);
        Assert.DoesNotContain("js-jobs-list-command", page);
        // The anti-forgery check answers 403; the read-only rule, reached only with a valid token, 401.
        Assert.Equal(HttpStatusCode.Unauthorized, command.StatusCode);
        Assert.Equal(triggered, await TriggerCountAsync());
    }

    [Fact]
    public async Task AdminCommandWithTheSameTokenRunsSoTheOpsRefusalIsTheReadOnlyRule()
    {
        using var client = app.CreateClient();

        await TestApp.LogInAsync(client, TestApp.AdminUser, TestApp.AdminPassword);
        var page = await client.GetStringAsync("/hangfire/recurring");
        var triggered = await TriggerCountAsync();
        var command = await PostCommandAsync(client, page);

        Assert.Equal(HttpStatusCode.NoContent, command.StatusCode);
        Assert.Equal(triggered + 1, await TriggerCountAsync());
    }

    /// <summary>Triggers the probe job as the dashboard's own script does: its anti-forgery token in its header.</summary>
    private static async Task<HttpResponseMessage> PostCommandAsync(HttpClient client, string page)
    {
        var header = CsrfMeta("csrf-header").Match(page);
        var token = CsrfMeta("csrf-token").Match(page);
        Assert.True(header.Success && token.Success, "The dashboard page carries no anti-forgery token.");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hangfire/recurring/trigger")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["jobs[]"] = ProbeJob }),
        };
        request.Headers.Add(WebUtility.HtmlDecode(header.Groups["value"].Value), WebUtility.HtmlDecode(token.Groups["value"].Value));
        return await client.SendAsync(request);
    }

    /// <summary>How many times the probe job was enqueued: a trigger that got through adds one.</summary>
    private async Task<long> TriggerCountAsync()
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%probe%'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static Regex CsrfMeta(string name) => new($"""<meta name="{name}" content="(?<value>[^"]+)"\s*/?>""");

    [Fact]
    public async Task WrongPasswordIsRefusedAndGrantsNothing()
    {
        using var client = app.CreateClient();

        var login = await TestApp.LogInAsync(client, TestApp.AdminUser, "not-the-password");
        var dashboard = await client.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
    }

    [Fact]
    public async Task LoginPostWithoutAntiforgeryTokenIsRejected()
    {
        using var client = app.CreateClient();

        var login = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["user"] = TestApp.AdminUser,
            ["password"] = TestApp.AdminPassword,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
    }

    [Fact]
    public async Task LoginDoesNotRedirectToAnotherSite()
    {
        using var client = app.CreateClient();
        var form = await client.GetStringAsync("/login?returnUrl=//evil.example/");

        Assert.DoesNotContain("evil.example", form);
    }
}
