using System.Net;
using System.Text.RegularExpressions;
using Newsletter.Tests.Infrastructure;

namespace Newsletter.Tests.Security;

/// <summary>
/// A real server behind a (simulated) https reverse proxy at 127.0.0.1: the operator cookie is Secure,
/// every page forbids sniffing and framing, and sign-ins and sign-outs are logged with the real client.
/// </summary>
public sealed class HeadersAndCookieTests
{
    [Fact]
    public async Task BehindAnHttpsProxyTheCookieIsSecurePagesCannotBeFramedAndSignInsAreLoggedWithTheClient()
    {
        await using var server = await AttackedServer.StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings:Newsletter"] = await TestPostgres.CreateMigratedDatabaseAsync("headers"),
            ["Newsletter:Proxy:Addresses:0"] = "127.0.0.1",
            ["Logging:LogLevel:Newsletter.Operations"] = "Information",
        });
        using var viaProxy = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = server.BaseAddress };
        viaProxy.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        viaProxy.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.9");

        foreach (var path in new[] { "/login", "/subscribe?list=none", "/archive", "/hangfire", "/unsubscribe?token=x", "/healthz" })
        {
            using var response = await viaProxy.GetAsync(path);
            Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var sniff) && sniff.Single() == "nosniff", path);
            Assert.True(response.Headers.TryGetValues("Content-Security-Policy", out var csp), path);
            Assert.Contains("frame-ancestors 'none'", csp.Single());
            Assert.Contains("script-src 'self'", csp.Single());
        }

        // The cookies are Secure, and this client speaks http to the "proxy": carry them by hand, as the browser would over https.
        using var signIn = await SignInAsync(viaProxy);
        var cookie = OperatorCookie(signIn);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        using var logout = new HttpRequestMessage(HttpMethod.Post, "/logout") { Content = new FormUrlEncodedContent([]) };
        logout.Headers.Add("Cookie", CookiePairs(signIn));
        Assert.Equal(HttpStatusCode.Redirect, (await viaProxy.SendAsync(logout)).StatusCode);

        // A client that is not a configured proxy cannot choose its address: its own is logged.
        using var spoofer = server.ClientFrom("127.0.0.2");
        spoofer.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.1");
        Assert.Equal(HttpStatusCode.Unauthorized, (await TestApp.LogInAsync(spoofer, "admin", "wrong")).StatusCode);

        await server.Process.WaitForOutputAsync(new Regex(@"Signed out admin from 203\.0\.113\.9"), TimeSpan.FromSeconds(10));
        await server.Process.WaitForOutputAsync(new Regex(@"Failed sign-in for admin from 127\.0\.0\.2"), TimeSpan.FromSeconds(10));
        Assert.Contains("Signed in admin (admin) from 203.0.113.9", server.Process.Output);
        Assert.DoesNotContain("198.51.100.1", server.Process.Output);
    }

    [Fact]
    public async Task WithoutAConfiguredProxyAClaimOfHttpsIsIgnoredAndAnHttpsPublicUrlMakesTheCookieSecureAnyway()
    {
        var database = await TestPostgres.CreateMigratedDatabaseAsync("headers-direct");
        foreach (var (publicUrl, secure) in new[] { ("http://127.0.0.1:5000", false), ("https://news.example.com", true) })
        {
            await using var server = await AttackedServer.StartAsync(new Dictionary<string, string>
            {
                ["ConnectionStrings:Newsletter"] = database,
                ["Newsletter:PublicUrl"] = publicUrl,
            });
            using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = server.BaseAddress };
            client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
            using var signIn = await SignInAsync(client);
            Assert.True(secure == OperatorCookie(signIn).Contains("secure", StringComparison.OrdinalIgnoreCase), $"{publicUrl}: {OperatorCookie(signIn)}");
        }
    }

    /// <summary>Signs in as admin through <paramref name="client"/>, carrying the form's cookies by hand.</summary>
    private static async Task<HttpResponseMessage> SignInAsync(HttpClient client)
    {
        using var login = await client.GetAsync("/login");
        var token = TestApp.AntiforgeryField().Match(await login.Content.ReadAsStringAsync());
        using var post = new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                [token.Groups["name"].Value] = WebUtility.HtmlDecode(token.Groups["value"].Value),
                ["user"] = "admin", ["password"] = "process-test", ["returnUrl"] = "/hangfire",
            }),
        };
        post.Headers.Add("Cookie", CookiePairs(login));
        var signIn = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return signIn;
    }

    private static string OperatorCookie(HttpResponseMessage signIn) =>
        signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("newsletter.operator=", StringComparison.Ordinal));

    private static string CookiePairs(HttpResponseMessage response) =>
        string.Join("; ", response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
}
