using Microsoft.Playwright;

namespace Newsletter.Tests.Rendering;

/// <summary>
/// Loads the rendered sample in Debian's Chromium (installed by CI with apt, never by
/// <c>playwright install</c>) at phone and desktop widths.
/// </summary>
[Collection(RenderingCollection.Name)]
public sealed class EmailBrowserTests(RenderingFixture fixture)
{
    private const string Chromium = "/usr/bin/chromium";

    [Theory]
    [InlineData(375)]
    [InlineData(800)]
    public async Task EmailFitsTheViewportWithoutHorizontalScrolling(int width)
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install -y chromium");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = 900 } });
        // The sample's images point at example.net; a test never goes to the network.
        await page.RouteAsync("**/*", route => route.Request.Url.StartsWith("data:", StringComparison.Ordinal) ? route.ContinueAsync() : route.AbortAsync());

        await page.SetContentAsync(fixture.Personalized.Html);

        var scrollWidth = await page.EvaluateAsync<int>("() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)");
        var columnWidth = await page.EvaluateAsync<int>("() => document.querySelector('.container').getBoundingClientRect().width");
        var directory = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory.FullName, $"email-{width}.png"), FullPage = true });

        Assert.True(scrollWidth <= width, $"scrollWidth {scrollWidth} > viewport {width}");
        Assert.Equal(width < 600 ? width : 600, columnWidth);
        Assert.True(File.Exists(Path.Combine(directory.FullName, $"email-{width}.png")));
    }
}
