using System.Net;
using System.Text.RegularExpressions;
using Newsletter.Tests.Infrastructure;

namespace Newsletter.Tests.Operations;

/// <summary><c>serve</c> started the way a newcomer starts it: the repository's appsettings.json, nothing else.</summary>
public sealed partial class ShippedConfigurationTests
{
    [Fact]
    public async Task PrintedAdminPasswordSignsInToTheDashboard()
    {
        var url = $"http://127.0.0.1:{TestApp.FreePort()}";
        await using var server = ServerProcess.RunAsShipped("serve", $"--urls={url}");

        var password = (await server.WaitForOutputAsync(PrintedPassword(), TimeSpan.FromMinutes(2))).Groups["password"].Value;
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
        {
            BaseAddress = new Uri(url),
        };
        await WaitUntilListeningAsync(client, server);
        var login = await TestApp.LogInAsync(client, "admin", password);
        var dashboard = await client.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/hangfire", login.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
    }

    private static async Task WaitUntilListeningAsync(HttpClient client, ServerProcess server)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (true)
        {
            try
            {
                await client.GetStringAsync("/login");
                return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !server.HasExited)
            {
                await Task.Delay(200);
            }
        }
    }

    [GeneratedRegex(@"admin password[^\n]*: (?<password>[A-Za-z0-9_\-=]+)\s*$", RegexOptions.Multiline)]
    private static partial Regex PrintedPassword();
}
