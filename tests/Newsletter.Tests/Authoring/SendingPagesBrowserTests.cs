using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Newsletter.Issues;
using Newsletter.Scheduling;
using Newsletter.Tests.Infrastructure;
using Xunit.Abstractions;
using static Newsletter.Tests.Authoring.AuthoringTestApp;

namespace Newsletter.Tests.Authoring;

/// <summary>
/// The sending pages in Debian's Chromium at a phone's and a desktop's width: an admin sends an issue from its editor and
/// watches the send page reach "finished" without reloading; no page scrolls sideways. Screenshots go under the test
/// output's <c>screenshots/admin/</c> folder.
/// </summary>
public sealed class SendingPagesBrowserTests(AuthoringTestApp app, ITestOutputHelper output) : IClassFixture<AuthoringTestApp>, IAsyncLifetime
{
    private Chromium _chromium = null!;

    public async Task InitializeAsync() => _chromium = await Chromium.LaunchAsync();

    public async Task DisposeAsync() => await _chromium.DisposeAsync();

    [Theory]
    [InlineData(375)]
    [InlineData(1280)]
    public async Task SendFromTheEditorAndWatchItFinishWithoutReloading(int width)
    {
        var slug = NewSlug();
        var listId = await app.CreateListAsync(slug);
        for (var i = 0; i < 30; i++)
            await app.SubscribeAsync($"reader{i}-{slug}@example.com", listId);
        var issueId = (await app.Services.GetRequiredService<IssueLibrary>().CreateIssueAsync(IssueText(slug, $"Watched {slug}"), "test")).Id;
        var schedule = await app.Services.GetRequiredService<WeeklySchedules>().CreateAsync([slug], "thursday", "08:30", "Europe/Berlin");
        var page = await SignedInPageAsync(width);

        await CheckAsync(page, width, "editor", $"/admin/issues/{issueId}");
        Assert.Equal("UTC", await page.Locator("#send select[name=zone]").InputValueAsync());
        await page.GetByLabel($"({slug},", new() { Exact = false }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send to the lists" }).ClickAsync();
        await page.WaitForURLAsync("**/admin/sends/*");
        await CheckAsync(page, width, "send", null);
        // The page is not reloaded: the script writes the figures it polls into it.
        await page.EvaluateAsync("() => { window.notReloaded = true; }");
        await page.WaitForFunctionAsync("() => document.querySelector('.lead [data-field=status]').textContent === 'finished'", null,
            new() { Timeout = 90_000 });

        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"));
        Assert.Equal("30", await page.Locator("dd[data-field=sent]").InnerTextAsync());
        Assert.True(await page.Locator("form[data-from]").First.IsHiddenAsync());
        await CheckAsync(page, width, "send-finished", null);
        await CheckAsync(page, width, "sends", "/admin/sends");
        await CheckAsync(page, width, "schedules", "/admin/schedules");
        await CheckAsync(page, width, "schedule", $"/admin/schedules/{schedule.Id}");
    }

    private async Task<IPage> SignedInPageAsync(int width)
    {
        var page = await _chromium.NewLocalPageAsync(app.BaseAddress, width);
        await page.GotoAsync(new Uri(app.BaseAddress, "/login?ReturnUrl=/admin/sends").ToString());
        await page.GetByLabel("User").FillAsync(TestApp.AdminUser);
        await page.GetByLabel("Password").FillAsync(TestApp.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/admin/sends");
        return page;
    }

    /// <summary>Opens <paramref name="path"/> (or stays on the page a click led to), saves its screenshot and checks it fits.</summary>
    private async Task CheckAsync(IPage page, int width, string name, string? path)
    {
        if (path is not null)
            await page.GotoAsync(new Uri(app.BaseAddress, path).ToString());
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        var scrollWidth = await Chromium.ScrollWidthAsync(page);
        output.WriteLine(await Chromium.ScreenshotAsync(page, "admin", $"{name}-{width}"));
        Assert.True(scrollWidth <= width, $"{name}: scrollWidth {scrollWidth} > viewport {width}");
    }
}
