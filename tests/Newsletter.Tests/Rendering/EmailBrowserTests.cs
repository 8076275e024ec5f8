using Microsoft.Playwright;
using Newsletter.Content;
using Newsletter.Rendering;
using Newsletter.Tests.Infrastructure;

namespace Newsletter.Tests.Rendering;

/// <summary>
/// Loads the rendered sample in Debian's Chromium (see <see cref="Chromium"/>) at phone and desktop widths.
/// </summary>
[Collection(RenderingCollection.Name)]
public sealed class EmailBrowserTests(RenderingFixture fixture)
{
    [Theory]
    [InlineData(375)]
    [InlineData(800)]
    public async Task EmailFitsTheViewportWithoutHorizontalScrolling(int width)
    {
        await using var session = await BrowserSession.OpenAsync(width, ColorScheme.Light);

        await session.Page.SetContentAsync(fixture.Personalized.Html);

        var scrollWidth = await session.Page.EvaluateAsync<int>("() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)");
        var columnWidth = await session.Page.EvaluateAsync<int>("() => document.querySelector('.container').getBoundingClientRect().width");
        var screenshot = await session.ScreenshotAsync($"email-{width}.png");

        Assert.True(scrollWidth <= width, $"scrollWidth {scrollWidth} > viewport {width}");
        Assert.Equal(width < 600 ? width : 600, columnWidth);
        Assert.True(new FileInfo(screenshot).Length > 0);
    }

    [Fact]
    public async Task DarkModeQueriesSurviveInliningAndRecolourTheMail()
    {
        await using var session = await BrowserSession.OpenAsync(375, ColorScheme.Dark);

        await session.Page.SetContentAsync(fixture.Personalized.Html);

        var background = await session.Page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('.container')).backgroundColor");
        var text = await session.Page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('.content p')).color");
        await session.ScreenshotAsync("email-375-dark.png");

        Assert.Equal("rgb(17, 24, 39)", background);
        Assert.Equal("rgb(229, 231, 235)", text);
    }

    [Theory]
    [InlineData("wide blocks", 320)]
    [InlineData("wide blocks", 375)]
    [InlineData("templates/README.md", 320)]
    [InlineData("templates/README.md", 375)]
    public async Task WideTablesCodeAndLongWordsStayWithinAPhoneScreen(string issue, int width)
    {
        var markdown = issue == "wide blocks" ? WideBlocks : await File.ReadAllTextAsync(Path.Combine(TemplateDirectory.Locate(), "README.md"));
        var rendered = await fixture.Renderer.RenderIssueAsync(new IssueReader().Parse(markdown, issue));
        await using var session = await BrowserSession.OpenAsync(width, ColorScheme.Light);

        await session.Page.SetContentAsync(new Personalizer(rendered).Personalize(RenderingFixture.Sam).Html);

        var scrollWidth = await session.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        // A block cut off at the edge counts too, unless it sits in a box that scrolls sideways itself. Inline
        // boxes are left to scrollWidth: pre-wrap lets spaces at a line's end hang past it, unseen.
        var overflowing = await session.Page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('.content *')]
                .filter(e => getComputedStyle(e).display !== 'inline' && e.getBoundingClientRect().right > innerWidth + 0.5)
                .filter(e => { for (let a = e.parentElement; a; a = a.parentElement) if (['auto', 'scroll'].includes(getComputedStyle(a).overflowX)) return false; return true; })
                .map(e => `${e.tagName} ${Math.round(e.getBoundingClientRect().right)}px: ${e.textContent.slice(0, 40)}`)
            """);
        await session.ScreenshotAsync($"wide-{issue.Replace('/', '-').Replace(' ', '-')}-{width}.png");

        Assert.True(scrollWidth <= width, $"scrollWidth {scrollWidth} > viewport {width}");
        Assert.Empty(overflowing);
    }

    private sealed class BrowserSession : IAsyncDisposable
    {
        private readonly Chromium _chromium;

        private BrowserSession(Chromium chromium, IPage page)
        {
            _chromium = chromium;
            Page = page;
        }

        public IPage Page { get; }

        public static async Task<BrowserSession> OpenAsync(int width, ColorScheme scheme)
        {
            var chromium = await Chromium.LaunchAsync();
            var page = await chromium.NewPageAsync(width, scheme);
            // The sample's images point at example.net; a test never goes to the network.
            await page.RouteAsync("**/*", route => route.Request.Url.StartsWith("data:", StringComparison.Ordinal) ? route.ContinueAsync() : route.AbortAsync());
            return new BrowserSession(chromium, page);
        }

        /// <summary>Saves a full-page screenshot under the test output's <c>screenshots/</c> folder.</summary>
        public async Task<string> ScreenshotAsync(string name)
        {
            var directory = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));
            var path = Path.Combine(directory.FullName, name);
            await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
            return path;
        }

        public ValueTask DisposeAsync() => _chromium.DisposeAsync();
    }

    private const string WideBlocks = """
        ---
        title: Wide blocks on a narrow screen
        ---
        A link written out: https://news.example.com/archive/2026/11/the-quiet-infrastructure-issue-with-a-path-that-never-breaks?utm_source=newsletter&utm_medium=email
        and a setting written as code: `Newsletter__Sending__ConnectionPoolMaximumIdleLifetimeInSecondsBeforeReconnect`.

        | setting | environment variable | default |
        |---|---|---|
        | `Newsletter:Sending:ConnectionPoolSize` | `Newsletter__Sending__ConnectionPoolSize` | `8` |
        | `Newsletter:Dkim:PrivateKeyPath` | `Newsletter__Dkim__PrivateKeyPath` | `/etc/newsletter/dkim-private-key.pem` |

        ```
        dotnet run --project src/Newsletter.Server -- send templates/sample-issue.md --list weekly --at 2026-11-23T09:00:00+01:00
        ```
        """;
}
