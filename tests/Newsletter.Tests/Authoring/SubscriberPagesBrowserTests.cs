using Microsoft.Playwright;
using Newsletter.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Newsletter.Tests.Authoring;

/// <summary>The subscriber pages in Debian's Chromium at a phone's width: no sideways scrolling; screenshots under <c>screenshots/admin/</c>.</summary>
public sealed class SubscriberPagesBrowserTests(AuthoringTestApp app, ITestOutputHelper output) : IClassFixture<AuthoringTestApp>, IAsyncLifetime
{
    private const int Width = 375;

    private Chromium _chromium = null!;

    public async Task InitializeAsync() => _chromium = await Chromium.LaunchAsync();

    public async Task DisposeAsync() => await _chromium.DisposeAsync();

    [Fact]
    public async Task TheSearchAndAProfileFitAPhone()
    {
        var person = await SubscriberPagesTests.PersonAsync(app);
        // A relay's answer as long as they come, with no space to break it at.
        await app.Audience.ExecuteAsync("UPDATE deliveries SET last_error = @error WHERE send_id = @id",
            new { error = "550-5.1.1 " + new string('x', 200), id = person.SendId });
        var page = await _chromium.NewLocalPageAsync(app.BaseAddress, Width);
        await page.GotoAsync(new Uri(app.BaseAddress, "/login?ReturnUrl=/admin/subscribers").ToString());
        await page.GetByLabel("User").FillAsync(TestApp.AdminUser);
        await page.GetByLabel("Password").FillAsync(TestApp.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/admin/subscribers");

        await page.GetByLabel("Address or name starts with (any case)").FillAsync(person.Email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await page.WaitForURLAsync("**/admin/subscribers?q=*");
        await CheckAsync(page, "subscribers");
        await page.GetByRole(AriaRole.Link, new() { Name = person.Email }).ClickAsync();
        await page.WaitForURLAsync($"**/admin/subscribers/{person.Id}");
        await CheckAsync(page, "subscriber");
    }

    private async Task CheckAsync(IPage page, string name)
    {
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        var scrollWidth = await Chromium.ScrollWidthAsync(page);
        output.WriteLine(await Chromium.ScreenshotAsync(page, "admin", $"{name}-{Width}"));
        Assert.True(scrollWidth <= Width, $"{name}: scrollWidth {scrollWidth} > viewport {Width}");
    }
}
