using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Newsletter.Tests.Infrastructure;

namespace Newsletter.Tests.Operations;

/// <summary><c>serve</c> started the way a newcomer starts it: the repository's appsettings.json, nothing else.</summary>
public sealed partial class ShippedConfigurationTests
{
    [Fact]
    public async Task PrintedAdminPasswordSignsInToTheDashboard()
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        await using var server = ServerProcess.RunAsShipped("serve", $"--urls={url}");

        var password = (await server.WaitForOutputAsync(PrintedPassword(), TimeSpan.FromMinutes(2))).Groups["password"].Value;
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
        {
            BaseAddress = new Uri(url),
        };
        var form = await ReadLoginFormAsync(client, server);
        var token = TestApp.AntiforgeryField().Match(form);
        var login = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [token.Groups["name"].Value] = WebUtility.HtmlDecode(token.Groups["value"].Value),
            ["user"] = "admin",
            ["password"] = password,
            ["returnUrl"] = "/hangfire",
        }));
        var dashboard = await client.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/hangfire", login.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
    }

    private static async Task<string> ReadLoginFormAsync(HttpClient client, ServerProcess server)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (true)
        {
            try
            {
                return await client.GetStringAsync("/login");
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !server.HasExited)
            {
                await Task.Delay(200);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"admin password[^\n]*: (?<password>[A-Za-z0-9_\-=]+)\s*$", RegexOptions.Multiline)]
    private static partial Regex PrintedPassword();
}
