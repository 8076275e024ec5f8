using Microsoft.Playwright;

namespace Newsletter.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium driven by Playwright. The package is installed through <see cref="SystemPackages"/>;
/// Playwright's own browser download (<c>playwright install</c>) is never used.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    public const string Package = "chromium";
    public const string ExecutablePath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    /// <summary>Installs the chromium package if needed and starts a headless browser.</summary>
    public static async Task<Chromium> LaunchAsync(CancellationToken cancellationToken = default)
    {
        await SystemPackages.RequireAsync(Package, cancellationToken);
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                // Root (CI) cannot use Chromium's sandbox; a test browser never needs the network's extras.
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
            });
            return new Chromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A page of the given viewport width (900 px high) and colour scheme.</summary>
    public Task<IPage> NewPageAsync(int width, ColorScheme scheme = ColorScheme.Light) =>
        Browser.NewPageAsync(new BrowserNewPageOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = 900 },
            ColorScheme = scheme,
        });

    /// <summary>A page of <paramref name="width"/> (800 px high) that reaches only <paramref name="site"/>: a test never leaves the machine.</summary>
    public async Task<IPage> NewLocalPageAsync(Uri site, int width)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = 800 },
            ColorScheme = ColorScheme.Light,
        });
        var page = await context.NewPageAsync();
        await page.RouteAsync("**/*", route => route.Request.Url.StartsWith(site.ToString(), StringComparison.Ordinal)
            ? route.ContinueAsync()
            : route.AbortAsync());
        return page;
    }

    /// <summary>How wide the page lays out: more than the viewport means the reader scrolls sideways.</summary>
    public static Task<int> ScrollWidthAsync(IPage page) =>
        page.EvaluateAsync<int>("() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)");

    /// <summary>Saves the whole page as <c>screenshots/{folder}/{name}.png</c> beside the test binaries; returns the path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string folder, string name)
    {
        var directory = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots", folder));
        var screenshot = Path.Combine(directory.FullName, $"{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        return screenshot;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
