using Microsoft.Playwright;
using Newsletter.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Newsletter.Tests.Pages;

/// <summary>
/// Every public page in Debian's Chromium (installed with apt, never by <c>playwright install</c>) at a
/// phone's and a desktop's width: no horizontal scrolling, the one stylesheet applied, and a
/// screenshot of each under the test output's <c>screenshots/pages/</c> folder.
/// </summary>
public sealed class PublicPagesBrowserTests(PagesTestApp app, ITestOutputHelper output) : IClassFixture<PagesTestApp>, IAsyncLifetime
{
    private const string PageBackground = "rgb(243, 244, 246)";

    private Chromium _chromium = null!;

    public async Task InitializeAsync() => _chromium = await Chromium.LaunchAsync();

    public async Task DisposeAsync() => await _chromium.DisposeAsync();

    [Theory]
    [InlineData(375)]
    [InlineData(1280)]
    public async Task EveryPublicPageFitsTheWidthAndWearsTheStylesheet(int width)
    {
        var page = await OpenPageAsync(width);
        var list = await app.CreateDoubleOptInListAsync();
        var email = $"reader-{width}-{Guid.NewGuid():N}@example.com";
        var subscriberId = await app.SignUpAsync(list, email);
        var confirm = app.PathOf(app.Links.ConfirmUrl(subscriberId, list.Id, DateTimeOffset.UtcNow.AddDays(1)));
        var unsubscribe = app.PathOf(app.Links.UnsubscribeUrl(subscriberId, list.Id));

        await CheckAsync(page, width, "login", "/login");
        await CheckAsync(page, width, "subscribe", $"/subscribe?list={list.Slug}");
        await page.GetByLabel("Email").FillAsync($"form-{width}-{Guid.NewGuid():N}@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Subscribe" }).ClickAsync();
        await CheckAsync(page, width, "subscribe-result", null, "Almost done");
        await CheckAsync(page, width, "confirm", confirm, "Confirm your subscription");
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, subscribe me" }).ClickAsync();
        await CheckAsync(page, width, "confirmed", null, "Subscribed");
        await CheckAsync(page, width, "preferences", app.PathOf(app.Links.PreferencesUrl(subscriberId)), "Your lists");
        await CheckAsync(page, width, "unsubscribe", unsubscribe, "Unsubscribe");
        await page.GetByRole(AriaRole.Button, new() { Name = "Unsubscribe from The Weekly Letter" }).ClickAsync();
        await CheckAsync(page, width, "unsubscribed", null, "Unsubscribed");
        await CheckAsync(page, width, "archive", "/archive", "All issues");
        await page.Locator(".rows a").First.ClickAsync();
        await CheckAsync(page, width, "archive-issue", null);
        await CheckAsync(page, width, "error-invalid-link", "/unsubscribe?token=cut-short", "Invalid link");
        await CheckAsync(page, width, "error-no-issue", "/archive/no-such-issue", "No such issue");
    }

    [Fact]
    public async Task AScannerThatRunsScriptsDoesNotConfirmButTheButtonDoes()
    {
        var page = await OpenPageAsync(375);
        var list = await app.CreateDoubleOptInListAsync();
        var email = $"scanned-{Guid.NewGuid():N}@example.com";
        var subscriberId = await app.SignUpAsync(list, email);
        var confirm = app.PathOf(app.Links.ConfirmUrl(subscriberId, list.Id, DateTimeOffset.UtcNow.AddDays(1)));

        await page.GotoAsync(new Uri(app.BaseAddress, confirm).ToString(), new() { WaitUntil = WaitUntilState.NetworkIdle });
        var afterOpening = await StatusAsync(subscriberId, list.Id);
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, subscribe me" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        Assert.Equal("unconfirmed", afterOpening);
        Assert.Equal("Subscribed", await page.Locator("h1").InnerTextAsync());
        Assert.Equal("confirmed", await StatusAsync(subscriberId, list.Id));
    }

    private Task<IPage> OpenPageAsync(int width) => _chromium.NewLocalPageAsync(app.BaseAddress, width);

    /// <summary>Opens <paramref name="path"/> (or stays on the page a click led to) and checks it.</summary>
    private async Task CheckAsync(IPage page, int width, string name, string? path, string? heading = null)
    {
        if (path is not null)
            await page.GotoAsync(new Uri(app.BaseAddress, path).ToString());
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        var scrollWidth = await Chromium.ScrollWidthAsync(page);
        var background = await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
        output.WriteLine(await Chromium.ScreenshotAsync(page, "pages", $"{name}-{width}"));
        // A long page (an issue) shrinks to a stripe in an image viewer: keep its first screen too.
        if (await page.EvaluateAsync<int>("() => document.documentElement.scrollHeight") > 2 * 800)
        {
            var firstScreen = Path.Combine(AppContext.BaseDirectory, "screenshots", "pages", $"{name}-{width}-first-screen.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = firstScreen });
            output.WriteLine(firstScreen);
        }

        Assert.True(scrollWidth <= width, $"{name}: scrollWidth {scrollWidth} > viewport {width}");
        Assert.Equal(PageBackground, background);
        if (heading is not null)
            Assert.Equal(heading, await page.Locator("h1").First.InnerTextAsync());
    }

    private Task<string?> StatusAsync(long subscriberId, long listId) => app.ScalarAsync<string?>(
        "SELECT status FROM subscriptions WHERE subscriber_id = @subscriberId AND list_id = @listId", new { subscriberId, listId });
}
