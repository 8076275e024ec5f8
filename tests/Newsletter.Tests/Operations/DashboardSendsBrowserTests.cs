using Microsoft.Playwright;
using Newsletter.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Newsletter.Tests.Operations;

/// <summary>
/// The dashboard's Sends pages in Debian's Chromium: ops sign in and watch a running send's sent count move on the list
/// and on the send's own page without reloading. Screenshots go under the test output's <c>screenshots/dashboard/</c>.
/// </summary>
public sealed class DashboardSendsBrowserTests(SlowRelayDashboardApp app, ITestOutputHelper output)
    : IClassFixture<SlowRelayDashboardApp>, IAsyncLifetime
{
    // At the relay's few messages a second this send runs about ten seconds: long enough to see it move, twice.
    private const int Readers = 40;

    private Chromium _chromium = null!;

    public async Task InitializeAsync() => _chromium = await Chromium.LaunchAsync();

    public async Task DisposeAsync() => await _chromium.DisposeAsync();

    [Fact]
    public async Task OpsWatchARunningSendsCountsMoveWithoutReloading()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var list = await app.CreateListAsync($"watched-{tag}");
        await app.Audience.SubscribeManyAsync($"watched-{tag}-", Readers, list);
        var send = await app.Scheduler.ScheduleAsync(await app.StoreSampleIssueAsync(), [$"watched-{tag}"], at: null);
        var page = await _chromium.NewLocalPageAsync(app.BaseAddress, 1280);
        await page.GotoAsync(new Uri(app.BaseAddress, "/login?ReturnUrl=/hangfire/sends").ToString());
        await page.GetByLabel("User").FillAsync(TestApp.OpsUser);
        await page.GetByLabel("Password").FillAsync(TestApp.OpsPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/hangfire/sends");
        var row = $"tr[data-figures$='/sends/{send.Id}/figures']";
        var before = await page.Locator($"{row} [data-field=sent]").InnerTextAsync();
        // The page is not reloaded from here on: the script writes the figures it polls into it.
        await page.EvaluateAsync("() => { window.notReloaded = true; }");
        await page.WaitForFunctionAsync(
            "([row, before]) => document.querySelector(row + ' [data-field=sent]').textContent !== before", new object[] { row, before });

        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"));
        Assert.Equal("sending", await page.Locator($"{row} [data-field=status]").InnerTextAsync());
        output.WriteLine($"list: sent {before} → {await page.Locator($"{row} [data-field=sent]").InnerTextAsync()}");
        output.WriteLine(await Chromium.ScreenshotAsync(page, "dashboard", "sends"));

        await page.Locator($"{row} a").ClickAsync();
        await page.WaitForURLAsync($"**/hangfire/sends/{send.Id}");
        var sent = page.Locator(".figures [data-field=sent]");
        var opened = await sent.InnerTextAsync();
        await page.EvaluateAsync("() => { window.notReloaded = true; }");
        await page.WaitForFunctionAsync(
            "before => document.querySelector('.figures [data-field=sent]').textContent !== before", opened);

        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"));
        output.WriteLine($"send: sent {opened} → {await sent.InnerTextAsync()}");
        output.WriteLine(await Chromium.ScreenshotAsync(page, "dashboard", "send"));
    }
}
