using Microsoft.Extensions.DependencyInjection;
using Newsletter.Issues;
using Newsletter.Preflight;
using Newsletter.Scheduling;
using Newsletter.Sending;
using Newsletter.Tests.Sending;

namespace Newsletter.Tests.Preflight;

/// <summary>Sends to a list wait on the issue's preflight: refused without an override, which is recorded with the send.</summary>
public sealed class PreflightGateTests(SendingTestApp app) : IClassFixture<SendingTestApp>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("preflight-gate").FullName;

    [Fact]
    public async Task FailingIssueIsRefusedWithItsReportAndAnOverrideIsRecorded()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        await app.CreateListAsync($"gate-{tag}");
        var issueId = await app.StoreSampleIssueAsync(await FailingIssueAsync(tag));

        var refused = await Assert.ThrowsAsync<PreflightFailedException>(() => app.Scheduler.ScheduleAsync(issueId, [$"gate-{tag}"], DateTime.UtcNow.AddHours(1)));
        var sendsAfterRefusal = await app.ScalarAsync<long>("SELECT count(*) FROM sends WHERE issue_id = @issueId", new { issueId });
        var overridden = await app.Scheduler.ScheduleAsync(issueId, [$"gate-{tag}"], DateTime.UtcNow.AddHours(1), overridePreflight: true);

        Assert.Equal(HtmlSizeCheck.Name, Assert.Single(refused.Report.Failures).Check);
        Assert.Equal(0L, sendsAfterRefusal);
        Assert.StartsWith("size: the HTML part is", overridden.PreflightOverride);
        await app.Scheduler.CancelAsync(overridden.Id);
    }

    [Fact]
    public async Task AnEditAfterSchedulingThatFailsThePreflightPausesTheSendBeforeItIsPrepared()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        await app.CreateListAsync($"edited-{tag}");
        await app.SubscribeAsync($"edited-{tag}@example.com", await app.ScalarAsync<long>("SELECT id FROM lists WHERE slug = @slug", new { slug = $"edited-{tag}" }));
        var frontMatter = $"---\ntitle: \"Edited {tag}\"\nslug: edited-{tag}\ndate: 2026-11-30\n---\n\n";
        var library = app.Services.GetRequiredService<IssueLibrary>();
        var issue = await library.CreateIssueAsync(frontMatter + "A short issue.\n", "edited.md");
        var send = await app.Scheduler.ScheduleAsync(issue.Id, [$"edited-{tag}"], DateTime.UtcNow.AddHours(1));
        await library.UpdateIssueAsync(issue.Id, frontMatter +
            string.Concat(Enumerable.Repeat("This paragraph is here to make the issue longer than any mail should be.\n\n", 1000)), "edited.md");
        var starter = app.Services.GetRequiredService<StartSendJob>();

        await starter.PrepareAsync(send.Id);
        var paused = await app.Services.GetRequiredService<SendStore>().GetSendAsync(send.Id);
        await library.UpdateIssueAsync(issue.Id, frontMatter + "A short issue again.\n", "edited.md");
        Assert.True(await app.Scheduler.ResumeAsync(send.Id));
        await starter.PrepareAsync(send.Id);
        var prepared = await app.Services.GetRequiredService<SendStore>().GetSendAsync(send.Id);

        Assert.Equal(SendStatus.Paused, paused!.Status);
        Assert.StartsWith("The issue was edited after this send was scheduled and now fails its preflight (size)", paused.StatusReason);
        Assert.Null(paused.PreparedAt);
        Assert.Equal(SendStatus.Scheduled, prepared!.Status);
        Assert.NotNull(prepared.PreparedAt);
        await app.Scheduler.CancelAsync(send.Id);
    }

    [Fact]
    public async Task PassingIssueSendsWithNoOverrideRecorded()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        await app.CreateListAsync($"pass-{tag}");

        var send = await app.Scheduler.ScheduleAsync(await app.StoreSampleIssueAsync(), [$"pass-{tag}"], DateTime.UtcNow.AddHours(1));

        Assert.Null(send.PreflightOverride);
        await app.Scheduler.CancelAsync(send.Id);
    }

    [Fact]
    public async Task WeeklyScheduleRecordsAFailingPreflightAndSendsNothing()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        await app.CreateListAsync($"weekly-{tag}");
        var schedule = await app.Services.GetRequiredService<WeeklySchedules>().CreateAsync([$"weekly-{tag}"], "thursday", "08:30", "UTC");
        var issueId = await app.StoreSampleIssueAsync(await FailingIssueAsync(tag));
        Assert.True(await app.Issues.MarkReadyAsync((await app.Issues.GetIssueAsync(issueId)).Slug));

        await RunOnlyThisReadyIssueAsync(schedule.Id, issueId);

        var run = Assert.Single(await app.Services.GetRequiredService<ScheduleStore>().LastRunsAsync(schedule.Id, 10));
        Assert.Null(run.SendId);
        Assert.Contains("fails its preflight (size)", run.Outcome);
        Assert.Equal(0L, await app.ScalarAsync<long>("SELECT count(*) FROM sends WHERE issue_id = @issueId", new { issueId }));
    }

    [Fact]
    public async Task WeeklyScheduleRecordsAStoredIssueTheReaderNowRefusesAndSendsNothing()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        await app.CreateListAsync($"legacy-{tag}");
        var schedule = await app.Services.GetRequiredService<WeeklySchedules>().CreateAsync([$"legacy-{tag}"], "thursday", "08:30", "UTC");
        // Stored before the reader refused unknown merge tokens, and marked ready then.
        var issueId = await app.ScalarAsync<long>("""
            INSERT INTO issues (slug, title, source, ready_at)
            VALUES (@slug, 'Legacy', E'---\ntitle: "Legacy"\ndate: 2026-11-30\n---\n\nYour code is {{unknown_token}}.\n', now())
            RETURNING id
            """, new { slug = $"legacy-{tag}" });

        await RunOnlyThisReadyIssueAsync(schedule.Id, issueId);

        var run = Assert.Single(await app.Services.GetRequiredService<ScheduleStore>().LastRunsAsync(schedule.Id, 10));
        Assert.Null(run.SendId);
        Assert.Contains("unknown merge token '{{unknown_token}}'", run.Outcome);
        Assert.EndsWith("Nothing sent.", run.Outcome);
        Assert.Equal(0L, await app.ScalarAsync<long>("SELECT count(*) FROM sends WHERE issue_id = @issueId", new { issueId }));
    }

    /// <summary>
    /// Runs the schedule while this issue is the only one ready, then takes it off the ready list: the class's
    /// tests share a database, and a schedule takes the oldest ready issue.
    /// </summary>
    private async Task RunOnlyThisReadyIssueAsync(string scheduleId, long issueId)
    {
        await app.Audience.ExecuteAsync("UPDATE issues SET ready_at = NULL WHERE id <> @issueId", new { issueId });
        try
        {
            await app.Services.GetRequiredService<WeeklyScheduleJob>().RunAsync(scheduleId, CancellationToken.None);
        }
        finally
        {
            await app.Audience.ExecuteAsync("UPDATE issues SET ready_at = NULL WHERE id = @issueId", new { issueId });
        }
    }

    /// <summary>An issue that fails one check only: a thousand paragraphs take its HTML past Gmail's clip.</summary>
    private async Task<string> FailingIssueAsync(string tag)
    {
        var path = Path.Combine(_directory, $"{tag}.md");
        await File.WriteAllTextAsync(path, $"---\ntitle: \"A very long issue {tag}\"\ndate: 2026-11-30\n---\n\n" +
            string.Concat(Enumerable.Repeat("This paragraph is here to make the issue longer than any mail should be.\n\n", 1000)));
        return path;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
