using System.Diagnostics;
using System.Net;
using Newsletter.Operations;
using Newsletter.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Newsletter.Tests.Security;

/// <summary>Password guessing against a real server: limited per client address and per user name, answered 429 before any hash.</summary>
public sealed class LoginRateLimitTests(LoginRateLimitTests.Server server, ITestOutputHelper output)
    : IClassFixture<LoginRateLimitTests.Server>
{
    private const int PerClient = 10;
    private const int PerUser = 20;

    public sealed class Server : IAsyncLifetime
    {
        public AttackedServer Serve { get; private set; } = null!;

        public async Task InitializeAsync() => Serve = await AttackedServer.StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings:Newsletter"] = await TestPostgres.CreateMigratedDatabaseAsync("login_limit"),
            ["Newsletter:Admin:Password"] = "",
            ["Newsletter:Admin:PasswordHash"] = OperatorCredentials.Hash("the-right-password"),
            ["Newsletter:Admin:OpsPasswordHash"] = OperatorCredentials.Hash("the-ops-password"),
            ["Newsletter:Admin:LoginAttemptsPerMinute"] = PerClient.ToString(),
            ["Newsletter:Admin:LoginAttemptsPerUserPerMinute"] = PerUser.ToString(),
        });

        public async Task DisposeAsync() => await Serve.DisposeAsync();
    }

    [Fact]
    public async Task ThousandGuessesFromOneClientAreRefused429AfterTheFirstFewAndOtherClientsStillSignIn()
    {
        using var attacker = server.Serve.ClientFrom("127.0.0.2");
        var form = await LoginFormAsync(attacker);
        var statuses = new List<HttpStatusCode>();
        var refusedMs = new List<double>();
        for (var i = 0; i < 1000; i++)
        {
            var clock = Stopwatch.StartNew();
            // A different user name each time: only the per-client limit can stop this.
            using var response = await attacker.PostAsync("/login", Guess(form, $"guess-{i}", "wrong"));
            clock.Stop();
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refusedMs.Add(clock.Elapsed.TotalMilliseconds);
                if (refusedMs.Count == 1)
                {
                    Assert.Contains("Too many sign-in attempts", await response.Content.ReadAsStringAsync());
                    Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "no Retry-After");
                }
            }
        }

        refusedMs.Sort();
        output.WriteLine($"429 answers: {refusedMs.Count}; client-side time each: median {refusedMs[refusedMs.Count / 2]:F2} ms, " +
                         $"p99 {refusedMs[(int)(refusedMs.Count * 0.99)]:F2} ms, max {refusedMs[^1]:F2} ms");
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, PerClient), statuses.Take(PerClient));
        Assert.All(statuses.Skip(PerClient), status => Assert.Equal(HttpStatusCode.TooManyRequests, status));

        using var someoneElse = server.Serve.ClientFrom("127.0.0.3");
        var signIn = await someoneElse.PostAsync("/login", Guess(await LoginFormAsync(someoneElse), "admin", "the-right-password"));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
    }

    [Fact]
    public async Task GuessesAtOneUserFromManyClientsAreRefused429PerUserName()
    {
        var statuses = new List<HttpStatusCode>();
        // 10 clients × 3 guesses at "ops": under each client's limit, over the user's.
        for (var client = 10; client < 20; client++)
        {
            using var attacker = server.Serve.ClientFrom($"127.0.0.{client}");
            var form = await LoginFormAsync(attacker);
            for (var i = 0; i < 3; i++)
                statuses.Add((await attacker.PostAsync("/login", Guess(form, "ops", $"wrong-{i}"))).StatusCode);
        }

        Assert.Equal(PerUser, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(30 - PerUser, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        using var fresh = server.Serve.ClientFrom("127.0.0.30");
        var form2 = await LoginFormAsync(fresh);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await fresh.PostAsync("/login", Guess(form2, "ops", "wrong"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fresh.PostAsync("/login", Guess(form2, "guess-other", "wrong"))).StatusCode);
    }

    private static async Task<(string Name, string Value)> LoginFormAsync(HttpClient client)
    {
        var token = TestApp.AntiforgeryField().Match(await client.GetStringAsync("/login"));
        return (token.Groups["name"].Value, WebUtility.HtmlDecode(token.Groups["value"].Value));
    }

    private static FormUrlEncodedContent Guess((string Name, string Value) form, string user, string password) => new(
        new Dictionary<string, string> { [form.Name] = form.Value, ["user"] = user, ["password"] = password, ["returnUrl"] = "/hangfire" });
}
