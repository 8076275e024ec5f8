using System.Globalization;
using System.Text;
using Microsoft.Playwright;
using Newsletter.Tests.Infrastructure;
using Newsletter.Tests.Security;
using Xunit.Abstractions;

namespace Newsletter.Tests.Authoring;

/// <summary>
/// The author's whole path in Debian's Chromium at a phone's width, against a real <c>serve</c> process, its PostgreSQL
/// and a loopback SMTP peer: sign in, paste the sample issue, see both previews and the preflight (live as the text
/// changes), send a test copy, import a list of 500, schedule the send a minute ahead and watch it finish without
/// reloading, then erase one reader and see a re-import of their address refused. Every page's screenshot is saved
/// under the test output's <c>screenshots/author-path/</c> folder, and none scrolls sideways.
/// </summary>
public sealed class AuthorPathBrowserTests(ServedApp app, ITestOutputHelper output) : IClassFixture<ServedApp>, IAsyncLifetime
{
    private const int Width = 375;
    private const int Readers = 500;

    private Chromium _chromium = null!;
    private IPage _page = null!;

    public async Task InitializeAsync()
    {
        _chromium = await Chromium.LaunchAsync();
        _page = await _chromium.NewLocalPageAsync(app.Server.BaseAddress, Width);
        _page.SetDefaultTimeout(30_000);
    }

    public async Task DisposeAsync() => await _chromium.DisposeAsync();

    [Fact]
    public async Task AnAuthorWritesChecksSchedulesWatchesAndErases()
    {
        await SignInAsync();
        var issuePath = await PasteTheSampleIssueAsync();
        await SeePreviewsAndPreflightAsync();
        await SendATestCopyAsync();
        var list = await ImportAListAsync();
        await ScheduleAndWatchAsync(issuePath, list);
        await EraseAndReimportAsync(list);
    }

    private async Task SignInAsync()
    {
        await OpenAsync("sign-in", "/login?ReturnUrl=/admin/issues");
        await _page.GetByLabel("User").FillAsync(TestApp.AdminUser);
        await _page.GetByLabel("Password").FillAsync(TestApp.AdminPassword);
        await _page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await _page.WaitForURLAsync("**/admin/issues");
        await CheckAsync("issues");
    }

    private async Task<string> PasteTheSampleIssueAsync()
    {
        await OpenAsync("new-issue", "/admin/issues/new");
        await _page.GetByLabel("Markdown").FillAsync(await File.ReadAllTextAsync(SampleIssuePath));
        await _page.GetByRole(AriaRole.Button, new() { Name = "Create draft" }).ClickAsync();
        await _page.WaitForURLAsync("**/admin/issues/*");
        return new Uri(_page.Url).AbsolutePath;
    }

    private async Task SeePreviewsAndPreflightAsync()
    {
        foreach (var width in new[] { 375, 800 })
        {
            var frame = _page.FrameLocator($"iframe.preview-frame[width=\"{width}\"]");
            await Assertions.Expect(frame.Locator("body")).ToContainTextAsync("The Quiet Infrastructure Issue");
            await Assertions.Expect(frame.Locator("body")).ToContainTextAsync("Hi Sam,");
        }
        var preflight = _page.Locator("#preflight");
        await Assertions.Expect(preflight.Locator("li.check-pass").First).ToBeVisibleAsync();
        await Assertions.Expect(preflight).Not.ToContainTextAsync("http://example.com/old-page");
        await CheckAsync("editor");

        // A link changed to plain http in the editor shows up in the panel without a save.
        var editor = _page.GetByLabel("Markdown");
        var text = await editor.InputValueAsync();
        await editor.FillAsync(text.Replace("https://example.com/essays/postgres-almost-everything", "http://example.com/old-page",
            StringComparison.Ordinal));
        await Assertions.Expect(_page.Locator("#preflight li.check-warn", new() { HasText = "http://example.com/old-page" }))
            .ToContainTextAsync("1 link not https", new() { Timeout = 60_000 });
        await Assertions.Expect(_page.Locator("#preflight")).ToContainTextAsync("Checked as you typed");
        await CheckAsync("editor-live-preflight");
        await _page.ReloadAsync();
    }

    private async Task SendATestCopyAsync()
    {
        var to = $"author-{Guid.NewGuid():N}@example.com";
        await _page.GetByLabel("Send a test copy to").FillAsync(to);
        await _page.GetByRole(AriaRole.Button, new() { Name = "Send test" }).ClickAsync();
        await Assertions.Expect(_page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Test copy queued" })).ToBeVisibleAsync();
        await CheckAsync("test-sent");
        var copy = await app.Smtp.MailToAsync(to, "Weekly Notes #48", TimeSpan.FromSeconds(60));
        Assert.NotNull(copy);
        Assert.Contains("The Quiet Infrastructure Issue", copy.HtmlBody);
    }

    private async Task<string> ImportAListAsync()
    {
        var slug = $"weekly-{Guid.NewGuid():N}"[..16];
        await OpenAsync("lists", "/admin/lists");
        await _page.GetByLabel("Slug", new() { Exact = false }).FillAsync(slug);
        await _page.GetByLabel("Name (what subscribers see)").FillAsync("Weekly readers");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Create list" }).ClickAsync();
        await Assertions.Expect(_page.GetByRole(AriaRole.Status)).ToContainTextAsync(slug);

        await OpenAsync("import", $"/admin/lists/{slug}/import");
        await _page.GetByLabel("CSV file", new() { Exact = false }).SetInputFilesAsync(new FilePayload
        {
            Name = "readers.csv",
            MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes(ReadersCsv(slug)),
        });
        await _page.GetByLabel("Confirmed", new() { Exact = false }).CheckAsync();
        await _page.GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();
        await Assertions.Expect(_page.Locator("dl.summary")).ToContainTextAsync($"New on the list{Readers}", new() { Timeout = 60_000 });
        await CheckAsync("imported");
        return slug;
    }

    private async Task ScheduleAndWatchAsync(string issuePath, string list)
    {
        await OpenAsync("editor-before-send", issuePath);
        await _page.GetByLabel($"({list},", new() { Exact = false }).CheckAsync();
        await _page.GetByLabel("At", new() { Exact = true }).CheckAsync();
        // The next whole minute at least a minute away, in UTC (the zone picker's default).
        var at = DateTime.UtcNow.AddMinutes(2);
        at = new DateTime(at.Year, at.Month, at.Day, at.Hour, at.Minute, 0, DateTimeKind.Utc);
        await _page.GetByLabel("Date", new() { Exact = true }).FillAsync(at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await _page.GetByLabel("Time", new() { Exact = true }).FillAsync(at.ToString("HH:mm", CultureInfo.InvariantCulture));
        if (await _page.GetByLabel("Send anyway", new() { Exact = false }).CountAsync() > 0)
            await _page.GetByLabel("Send anyway", new() { Exact = false }).CheckAsync();
        await _page.GetByRole(AriaRole.Button, new() { Name = "Send to the lists" }).ClickAsync();
        await _page.WaitForURLAsync("**/admin/sends/*");
        await CheckAsync("scheduled");
        Assert.Equal(0, app.Smtp.Messages.Count(m => m.To.Mailboxes.Any(to => to.Address.EndsWith($"@{list}.example", StringComparison.Ordinal))));

        // The page is never reloaded: its script writes the figures it polls into it.
        await _page.EvaluateAsync("() => { window.notReloaded = true; }");
        await _page.WaitForFunctionAsync("() => document.querySelector('.lead [data-field=status]').textContent === 'finished'", null,
            new() { Timeout = 240_000, PollingInterval = 500 });
        Assert.True(await _page.EvaluateAsync<bool>("() => window.notReloaded === true"));
        Assert.Equal(Readers.ToString("N0", CultureInfo.InvariantCulture), await _page.Locator("dd[data-field=sent]").InnerTextAsync());
        await CheckAsync("finished");
        await OpenAsync("sends", "/admin/sends");
        await OpenAsync("schedules", "/admin/schedules");
        Assert.Equal(Readers, app.Smtp.Messages.Count(m => m.To.Mailboxes.Any(to => to.Address.EndsWith($"@{list}.example", StringComparison.Ordinal))));
    }

    private async Task EraseAndReimportAsync(string list)
    {
        var address = $"reader7@{list}.example";
        await OpenAsync("subscribers", "/admin/subscribers");
        await _page.GetByLabel("Address or name starts with", new() { Exact = false }).FillAsync($"READER7@{list}");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await CheckAsync("search");
        await _page.GetByRole(AriaRole.Link, new() { Name = address }).ClickAsync();
        await Assertions.Expect(_page.Locator("main")).ToContainTextAsync("Reader 7");
        await Assertions.Expect(_page.Locator("main")).ToContainTextAsync("The Quiet Infrastructure Issue");
        await CheckAsync("subscriber");

        await _page.GetByLabel("Erase this person for good", new() { Exact = false }).CheckAsync();
        await _page.GetByRole(AriaRole.Button, new() { Name = "Erase", Exact = true }).ClickAsync();
        await Assertions.Expect(_page.GetByRole(AriaRole.Status)).ToContainTextAsync("The subscriber was erased");
        await CheckAsync("erased");
        Assert.Equal(0, await app.Audience.ScalarAsync<long>("SELECT count(*) FROM subscribers WHERE lower(email) = @address", new { address }));

        await OpenAsync("reimport", $"/admin/lists/{list}/import");
        await _page.GetByLabel("CSV file", new() { Exact = false }).SetInputFilesAsync(new FilePayload
        {
            Name = "erased.csv",
            MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes($"email,name\n{address},Reader 7\n"),
        });
        await _page.GetByLabel("Confirmed", new() { Exact = false }).CheckAsync();
        await _page.GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();
        var summary = _page.Locator("dl.summary");
        await Assertions.Expect(summary).ToContainTextAsync("New on the list0", new() { Timeout = 60_000 });
        await Assertions.Expect(summary).ToContainTextAsync("Suppressed or opted out, left alone1");
        await CheckAsync("reimport-refused");
        Assert.Equal(0, await app.Audience.ScalarAsync<long>("SELECT count(*) FROM subscribers WHERE lower(email) = @address", new { address }));
    }

    private static string ReadersCsv(string list)
    {
        var csv = new StringBuilder("email,name\n");
        for (var i = 0; i < Readers; i++)
            csv.Append(CultureInfo.InvariantCulture, $"reader{i}@{list}.example,Reader {i}\n");
        return csv.ToString();
    }

    private static string SampleIssuePath => Path.Combine(ServerProcess.RepositoryRoot, "templates", "sample-issue.md");

    private async Task OpenAsync(string name, string path)
    {
        await _page.GotoAsync(new Uri(app.Server.BaseAddress, path).ToString());
        await CheckAsync(name);
    }

    /// <summary>Saves the page's screenshot and checks it does not scroll sideways at a phone's width.</summary>
    private async Task CheckAsync(string name)
    {
        await _page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        var scrollWidth = await Chromium.ScrollWidthAsync(_page);
        output.WriteLine(await Chromium.ScreenshotAsync(_page, "author-path", name));
        Assert.True(scrollWidth <= Width, $"{name}: scrollWidth {scrollWidth} > viewport {Width}");
    }
}
