using System.Net;
using Newsletter.Subscribers;
using Newsletter.Tests.Infrastructure;
using Newsletter.Tests.Security;

namespace Newsletter.Tests.Operations;

/// <summary>
/// The Hangfire dashboard of a real server: sign-in required, and the ops role refused by the read-only
/// rule itself, with a valid anti-forgery token, while the admin's same request runs.
/// </summary>
public sealed class DashboardAccessTests(ServedApp app) : IClassFixture<ServedApp>
{
    // A recurring job serve registers itself gives the dashboard something to offer commands for.
    private const string ProbeJob = PurgeUnconfirmedJob.RecurringJobId;

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
        var command = await app.TriggerFromDashboardAsync(client, ProbeJob);

        // The anti-forgery check answers 403; the read-only rule, reached only with a valid token, 401.
        Assert.Equal(HttpStatusCode.Unauthorized, command.StatusCode);
        Assert.Equal(triggered, await TriggerCountAsync());
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains(ProbeJob, page);
        Assert.DoesNotContain("js-jobs-list-command", page);
    }

    [Fact]
    public async Task AdminCommandWithTheSameTokenRunsSoTheOpsRefusalIsTheReadOnlyRule()
    {
        using var client = app.CreateClient();

        await TestApp.LogInAsync(client, TestApp.AdminUser, TestApp.AdminPassword);
        var triggered = await TriggerCountAsync();
        var command = await app.TriggerFromDashboardAsync(client, ProbeJob);

        Assert.Equal(HttpStatusCode.NoContent, command.StatusCode);
        Assert.Equal(triggered + 1, await TriggerCountAsync());
    }

    private Task<long> TriggerCountAsync() => app.JobCountAsync(nameof(PurgeUnconfirmedJob));

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
