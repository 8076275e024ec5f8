using Microsoft.Playwright;
using Newsletter.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Newsletter.Tests.Api;

/// <summary>
/// The interactive API reference in Debian's Chromium: an admin signs in, opens <c>/admin/api/</c>, and the page
/// (Scalar) loads the served OpenAPI document and lists the operations, with no script refused by the site's CSP.
/// </summary>
public sealed class ApiReferenceBrowserTests(ApiServer api, ITestOutputHelper output) : IClassFixture<ApiServer>, IAsyncLifetime
{
    private Chromium _chromium = null!;

    public async Task InitializeAsync() => _chromium = await Chromium.LaunchAsync();

    public async Task DisposeAsync() => await _chromium.DisposeAsync();

    [Fact]
    public async Task AnAdminBrowsesTheOperationsOfTheServedDocument()
    {
        var site = api.App.Server.BaseAddress;
        var page = await _chromium.NewLocalPageAsync(site, 1280);
        var refused = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
                refused.Add(message.Text);
        };
        await page.GotoAsync(new Uri(site, "/login?ReturnUrl=/admin/api/").ToString());
        await page.GetByLabel("User").FillAsync(TestApp.AdminUser);
        await page.GetByLabel("Password").FillAsync(TestApp.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/admin/api/");

        await page.GetByText("Creates a list").First.WaitForAsync(new() { Timeout = 30_000 });

        Assert.Empty(refused);
        output.WriteLine(await Chromium.ScreenshotAsync(page, "api", "reference"));
    }
}
