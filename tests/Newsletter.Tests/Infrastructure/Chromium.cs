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

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
