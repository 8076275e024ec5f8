using Newsletter.Tests.Infrastructure;
using Newsletter.Tests.Rendering;

namespace Newsletter.Tests.Sending;

/// <summary>The author's verbs, run as the real executable against a real database.</summary>
public sealed class SendCommandLineTests : IAsyncLifetime
{
    private string _connectionString = "";

    private TestAudience Audience => new(_connectionString);

    public async Task InitializeAsync() => _connectionString = await TestPostgres.CreateMigratedDatabaseAsync("send_cli");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task SendToAnUnknownListOrInThePastIsRefusedAndCreatesNothing()
    {
        await Audience.CreateListAsync("weekly");

        var (unknownCode, unknown) = await RunAsync("send", RenderingFixture.SamplePath, "--list", "weekly,nope", "--now");
        var (pastCode, past) = await RunAsync("send", RenderingFixture.SamplePath, "--list", "weekly", "--at", "2020-01-01T08:00:00Z");
        var (zoneCode, zone) = await RunAsync("schedule", "weekly", "--list", "weekly", "--day", "monday", "--time", "08:00", "--tz", "Nowhere/Else");

        Assert.Equal(1, unknownCode);
        Assert.Contains("No list with the slug 'nope'", unknown);
        Assert.Equal(1, pastCode);
        Assert.Contains("in the past", past);
        Assert.Equal(1, zoneCode);
        Assert.Contains("Nowhere/Else", zone);
        Assert.DoesNotContain("   at ", unknown + past + zone);
        Assert.Equal(0L, await Audience.ScalarAsync<long>("SELECT count(*) FROM sends"));
        Assert.Equal(0L, await Audience.ScalarAsync<long>("SELECT count(*) FROM schedules"));
    }

    [Fact]
    public async Task AuthorStoresMarksReadySchedulesAndFollowsASend()
    {
        await Audience.CreateListAsync("readers");

        var (addCode, added) = await RunAsync("issues", "add", RenderingFixture.SamplePath);
        var slug = await Audience.ScalarAsync<string>("SELECT slug FROM issues");
        var (readyCode, _) = await RunAsync("issues", "ready", slug);
        var (sendCode, sent) = await RunAsync("send", slug, "--list", "readers", "--at", DateTime.UtcNow.AddHours(1).ToString("O"));
        var sendId = await Audience.ScalarAsync<long>("SELECT id FROM sends");
        var (showCode, shown) = await RunAsync("sends", "show", sendId.ToString());
        var (pauseCode, _) = await RunAsync("sends", "pause", sendId.ToString());
        var (listCode, listed) = await RunAsync("sends");

        Assert.Equal([0, 0, 0, 0, 0, 0], new[] { addCode, readyCode, sendCode, showCode, pauseCode, listCode });
        Assert.Contains($"Stored issue {slug}", added);
        Assert.Contains($"Send {sendId} of {slug} to readers scheduled", sent);
        Assert.Contains($"send {sendId}: {slug}, scheduled", shown);
        Assert.Contains("paused", listed);
        Assert.NotNull(await Audience.ScalarAsync<DateTime?>("SELECT ready_at FROM issues"));
    }

    [Fact]
    public async Task SecondSendToAListIsRefusedWithWhatToTypeAndResendSaysWhomFor()
    {
        await Audience.CreateListAsync("twice");
        var later = DateTime.UtcNow.AddHours(1).ToString("O");

        var (firstCode, _) = await RunAsync("send", RenderingFixture.SamplePath, "--list", "twice", "--at", later);
        var firstId = await Audience.ScalarAsync<long>("SELECT max(id) FROM sends");
        var (againCode, again) = await RunAsync("send", RenderingFixture.SamplePath, "--list", "twice", "--at", later);
        var sendsAfterRefusal = await Audience.ScalarAsync<long>("SELECT count(*) FROM sends");
        var (missedCode, _) = await RunAsync("send", RenderingFixture.SamplePath, "--list", "twice", "--at", later, "--resend");
        var (allCode, _) = await RunAsync("send", RenderingFixture.SamplePath, "--list", "twice", "--at", later, "--resend", "all");
        var (bogusCode, bogus) = await RunAsync("send", RenderingFixture.SamplePath, "--list", "twice", "--now", "--resend", "everyone");

        Assert.Equal([0, 1, 0, 0], new[] { firstCode, againCode, missedCode, allCode });
        Assert.Contains($"send {firstId}", again);
        Assert.Contains("--resend", again);
        Assert.Contains("--resend all", again);
        Assert.DoesNotContain("   at ", again);
        Assert.Equal(1L, sendsAfterRefusal);
        Assert.Equal("false,true,false", await Audience.ScalarAsync<string>("SELECT string_agg(only_missed::text, ',' ORDER BY id) FROM sends"));
        Assert.NotEqual(0, bogusCode);
        Assert.Contains("everyone", bogus);
        Assert.Equal(3L, await Audience.ScalarAsync<long>("SELECT count(*) FROM sends"));
    }

    [Fact]
    public async Task WeeklySchedulesAreListedWithTheirRunsAndDeletedWithTheirJob()
    {
        await Audience.CreateListAsync("digest");
        var (emptyCode, empty) = await RunAsync("schedule", "list");
        Assert.Equal(0, emptyCode);
        Assert.Contains("No schedules", empty);
        var (createCode, created) = await RunAsync("schedule", "weekly", "--list", "digest", "--day", "friday", "--time", "07:30", "--tz", "Europe/Berlin");
        Assert.True(createCode == 0, created);
        await Audience.ScalarAsync<long>("""
            INSERT INTO schedule_runs (schedule_id, ran_at, outcome)
            VALUES ('weekly-digest', '2026-11-27 06:30Z', 'no issue was ready; nothing sent') RETURNING id
            """);

        var (listCode, listed) = await RunAsync("schedule", "list");
        var (runsCode, runs) = await RunAsync("schedule", "runs", "weekly-digest");
        Assert.Equal(0, listCode);
        Assert.Contains("weekly-digest: every Friday at 07:30 Europe/Berlin to digest", listed);
        Assert.Matches(@"next run: \d{4}-\d\d-\d\d (05|06):30 UTC", listed);
        Assert.Contains("last run: 2026-11-27 06:30 UTC: no issue was ready; nothing sent", listed);
        Assert.Equal(0, runsCode);
        Assert.Contains("2026-11-27 06:30 UTC: no issue was ready; nothing sent", runs);

        const string job = "SELECT count(*) FROM hangfire.hash WHERE key = 'recurring-job:weekly-digest'";
        Assert.NotEqual(0L, await Audience.ScalarAsync<long>(job));
        var (deleteCode, deleted) = await RunAsync("schedule", "delete", "weekly-digest");
        var (againCode, again) = await RunAsync("schedule", "delete", "weekly-digest");
        var (goneRunsCode, goneRuns) = await RunAsync("schedule", "runs", "weekly-digest");
        Assert.True(deleteCode == 0, deleted);
        Assert.Equal(0L, await Audience.ScalarAsync<long>("SELECT count(*) FROM schedules"));
        Assert.Equal(0L, await Audience.ScalarAsync<long>(job));
        Assert.NotEqual(0, againCode);
        Assert.Contains("no schedule 'weekly-digest'", again);
        Assert.NotEqual(0, goneRunsCode);
        Assert.Contains("no schedule 'weekly-digest'", goneRuns);
    }

    private async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        await using var process = ServerProcess.Run(new Dictionary<string, string> { ["ConnectionStrings:Newsletter"] = _connectionString }, arguments);
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exitCode, process.Output);
    }
}
