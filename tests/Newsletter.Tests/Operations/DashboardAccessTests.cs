using System.Net;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Tests.Infrastructure;

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
        var command = await client.PostAsync("/hangfire/recurring/trigger",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["jobs[]"] = ProbeJob }));

        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        var page = await dashboard.Content.ReadAsStringAsync();
        Assert.Contains(ProbeJob, page);
        Assert.DoesNotContain("js-jobs-list-command", page);
        Assert.NotEqual(HttpStatusCode.OK, command.StatusCode);
        Assert.NotEqual(HttpStatusCode.NoContent, command.StatusCode);
    }

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
