using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;
using Newsletter.Operations;
using Newsletter.Subscribers;
using Newsletter.Tests.Infrastructure;

namespace Newsletter.Tests.Security;

/// <summary>
/// A real <c>serve</c> process on its own database with a loopback relay, shared by one test class: the
/// attacks reach the server the way they would in production. Links are signed with the key the server
/// generated, read back from its database.
/// </summary>
public sealed class ServedApp : IAsyncLifetime
{
    public TestSmtpServer Smtp { get; } = new();

    public AttackedServer Server { get; private set; } = null!;

    public TestAudience Audience { get; private set; } = null!;

    public SubscriptionLinks Links { get; private set; } = null!;

    /// <summary>Settings a fixture adds to (or changes in) the ones below, set before the server starts.</summary>
    public IReadOnlyDictionary<string, string> ExtraSettings { get; init; } = new Dictionary<string, string>();

    /// <summary>The settings the server ran with, for the CLI verbs a test runs beside it.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; private set; } = new Dictionary<string, string>();

    public async Task InitializeAsync()
    {
        var connectionString = await TestPostgres.CreateMigratedDatabaseAsync(GetType().Name);
        Settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:Newsletter"] = connectionString,
            ["Newsletter:Smtp:Host"] = "127.0.0.1",
            ["Newsletter:Smtp:Port"] = Smtp.Port.ToString(),
            ["Newsletter:Admin:User"] = TestApp.AdminUser,
            ["Newsletter:Admin:Password"] = TestApp.AdminPassword,
            ["Newsletter:Admin:OpsUser"] = TestApp.OpsUser,
            ["Newsletter:Admin:OpsPasswordHash"] = OperatorCredentials.Hash(TestApp.OpsPassword),
            // One client plays every sign-up of a class; the per-client limits have their own tests.
            ["Newsletter:Subscribers:SubscribeRequestsPerMinute"] = "10000",
            ["Newsletter:Subscribers:LinkRequestsPerMinute"] = "10000",
        };
        foreach (var (key, value) in ExtraSettings)
            ((Dictionary<string, string>)Settings)[key] = value;
        Server = await AttackedServer.StartAsync(Settings);
        Audience = new TestAudience(connectionString);
        var secret = Convert.FromBase64String(await Audience.ScalarAsync<string>(
            "SELECT value FROM app_setting WHERE key = 'subscription_token_secret'"));
        Links = new SubscriptionLinks(SubscriptionTokens.FromSecret(secret),
            Options.Create(new NewsletterOptions { PublicUrl = Server.BaseAddress.ToString() }));
    }

    public HttpClient CreateClient() => Server.ClientFrom();

    /// <summary>A fresh list; its slug is unique to the call.</summary>
    public async Task<(long Id, string Slug)> CreateListAsync(bool doubleOptIn)
    {
        var slug = $"list-{Guid.NewGuid():N}"[..20];
        var id = await Audience.ScalarAsync<long>(
            "INSERT INTO lists (slug, name, double_opt_in) VALUES (@slug, @slug, @doubleOptIn) RETURNING id", new { slug, doubleOptIn });
        return (id, slug);
    }

    public async Task<string?> StatusAsync(string email, long listId) => (await Audience.QueryAsync<string>(
        "SELECT sub.status FROM subscriptions sub JOIN subscribers s ON s.id = sub.subscriber_id " +
        "WHERE lower(s.email) = lower(@email) AND sub.list_id = @listId", new { email, listId })).SingleOrDefault();

    /// <summary>Runs a CLI verb against the server's database, as an operator on the same machine would.</summary>
    public async Task<string> RunCliAsync(params string[] arguments)
    {
        await using var cli = ServerProcess.Run(Settings, arguments);
        var exit = await cli.WaitForExitAsync(TimeSpan.FromSeconds(120));
        Assert.True(exit == 0, $"{string.Join(' ', arguments)} exited {exit}:\n{cli.Output}");
        return cli.Output;
    }

    /// <summary>Triggers a recurring job from the dashboard as its own script does: the anti-forgery token in its header.</summary>
    public async Task<HttpResponseMessage> TriggerFromDashboardAsync(HttpClient client, string recurringJobId)
    {
        var page = await client.GetStringAsync("/hangfire/recurring");
        var header = CsrfMeta("csrf-header").Match(page);
        var token = CsrfMeta("csrf-token").Match(page);
        Assert.True(header.Success && token.Success, "The dashboard page carries no anti-forgery token.");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hangfire/recurring/trigger")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["jobs[]"] = recurringJobId }),
        };
        request.Headers.Add(WebUtility.HtmlDecode(header.Groups["value"].Value), WebUtility.HtmlDecode(token.Groups["value"].Value));
        return await client.SendAsync(request);
    }

    /// <summary>How many jobs of a type Hangfire has been given: a trigger that got through adds one.</summary>
    public Task<long> JobCountAsync(string jobType) => Audience.ScalarAsync<long>(
        "SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE @pattern", new { pattern = $"%{jobType}%" });

    /// <summary>Waits until Hangfire has no job of the type still to run.</summary>
    public async Task JobsDoneAsync(string jobType)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await Audience.ScalarAsync<long>(
                   "SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE @pattern " +
                   "AND coalesce(statename, '') NOT IN ('Succeeded', 'Failed', 'Deleted')", new { pattern = $"%{jobType}%" }) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{jobType} jobs still running after 60 s.");
            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        if (Server is not null)
            await Server.DisposeAsync();
        await Smtp.DisposeAsync();
    }

    private static Regex CsrfMeta(string name) => new($"""<meta name="{name}" content="(?<value>[^"]+)"\s*/?>""");
}
