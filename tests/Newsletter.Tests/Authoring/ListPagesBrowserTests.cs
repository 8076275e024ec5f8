using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Newsletter.Subscribers;
using Newsletter.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Newsletter.Tests.Authoring;

/// <summary>
/// The lists pages in Debian's Chromium at a phone's width: a new list, an import followed by its progress bar to the
/// outcome (the page's script reloads it), no horizontal scrolling anywhere, a screenshot of each under
/// <c>screenshots/lists/</c>.
/// </summary>
public sealed class ListPagesBrowserTests(AuthoringTestApp app, ITestOutputHelper output) : IClassFixture<AuthoringTestApp>, IAsyncLifetime
{
    private const int Width = 375;

    private Chromium _chromium = null!;

    public async Task InitializeAsync() => _chromium = await Chromium.LaunchAsync();

    public async Task DisposeAsync() => await _chromium.DisposeAsync();

    [Fact]
    public async Task AnAdminCreatesAListImportsIntoItAndEveryPageFitsAPhone()
    {
        var page = await _chromium.NewPageAsync(Width);
        var slug = $"phone-{Guid.NewGuid():N}"[..14];
        var tag = Guid.NewGuid().ToString("N")[..10];
        var csv = new StringBuilder("email,name\n");
        for (var i = 0; i < 3000; i++)
            csv.Append(FormattableString.Invariant($"r{i}-{tag}@example.com,Reader {i}\n"));
        csv.Append("not an address,Broken Row\n");
        var file = Path.Combine(Path.GetTempPath(), $"import-{tag}.csv");
        await File.WriteAllTextAsync(file, csv.ToString());
        try
        {
            await page.GotoAsync(new Uri(app.BaseAddress, "/login?ReturnUrl=%2Fadmin%2Flists").ToString());
            await page.Locator("input[name=user]").FillAsync(TestApp.AdminUser);
            await page.Locator("input[name=password]").FillAsync(TestApp.AdminPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await CheckAsync(page, "lists", "Lists");

            await page.GetByLabel("Slug (used in sign-up forms, links and the CLI)").FillAsync("Bad Slug");
            await page.GetByLabel("Name (what subscribers see)").FillAsync("Phone Readers");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create list" }).ClickAsync();
            await CheckAsync(page, "lists-bad-slug", "Lists");
            Assert.Contains("is not a valid slug", await page.Locator("#slug-error").InnerTextAsync());

            await page.GetByLabel("Slug (used in sign-up forms, links and the CLI)").FillAsync(slug);
            await page.GetByRole(AriaRole.Button, new() { Name = "Create list" }).ClickAsync();
            await CheckAsync(page, "lists-created", "Lists");

            await page.Locator($"a[href='/admin/lists/{slug}/import']").ClickAsync();
            await CheckAsync(page, "import", "Import into Phone Readers");
            await page.Locator("input[type=file]").SetInputFilesAsync(file);
            await page.GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();
            // The progress page reloads itself when the job is over and then shows the summary.
            await page.Locator("dl.summary").WaitForAsync(new() { Timeout = 60_000 });
            await CheckAsync(page, "import-done", "Import of " + Path.GetFileName(file));
            Assert.Contains("3,001 rows read", await page.Locator(".notice").InnerTextAsync());
            Assert.Equal(1, await page.Locator("a[href$='/rejected.csv']").CountAsync());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task TheProgressPageFollowsTheImportToItsOutcomeWithoutAReload()
    {
        var page = await _chromium.NewPageAsync(Width);
        var slug = $"poll-{Guid.NewGuid():N}"[..14];
        var listId = await app.CreateListAsync(slug);
        var imports = app.Services.GetRequiredService<ListImportStore>();
        // Stored but not handed to a job: it stays queued until the test finishes it as the job would.
        var id = await imports.AddAsync(listId, "waiting.csv", false, new MemoryStream("email\n"u8.ToArray()), 6);
        await page.GotoAsync(new Uri(app.BaseAddress, "/login?ReturnUrl=%2Fadmin%2Flists").ToString());
        await page.Locator("input[name=user]").FillAsync(TestApp.AdminUser);
        await page.Locator("input[name=password]").FillAsync(TestApp.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await page.GotoAsync(new Uri(app.BaseAddress, $"/admin/lists/{slug}/imports/{id}").ToString());
        await CheckAsync(page, "import-queued", "Import of waiting.csv");
        Assert.Equal(1, await page.Locator("progress").CountAsync());
        await imports.FinishAsync(id, new ImportSummary(1, 0, 0, 1, 0, 0, 0), [new ImportRejection(2, "no email address")]);

        await page.Locator("dl.summary").WaitForAsync(new() { Timeout = 30_000 });
        Assert.Contains("Imported: 1 row read.", await page.Locator(".notice").InnerTextAsync());
    }

    private async Task CheckAsync(IPage page, string name, string heading)
    {
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var scrollWidth = await Chromium.ScrollWidthAsync(page);
        output.WriteLine(await Chromium.ScreenshotAsync(page, "lists", $"{name}-{Width}"));

        Assert.True(scrollWidth <= Width, $"{name}: scrollWidth {scrollWidth} > viewport {Width}");
        Assert.Equal(heading, await page.Locator("h1").First.InnerTextAsync());
    }
}
