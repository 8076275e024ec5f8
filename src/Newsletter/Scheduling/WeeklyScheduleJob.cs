using Hangfire;
using Microsoft.Extensions.Logging;
using Newsletter.Alerts;
using Newsletter.Content;
using Newsletter.Issues;
using Newsletter.Jobs;
using Newsletter.Preflight;
using Newsletter.Sending;

namespace Newsletter.Scheduling;

/// <summary>
/// A weekly schedule's moment: send the oldest ready, unsent issue to its lists, or record that none was ready
/// or that the issue failed its preflight.
/// </summary>
public sealed class WeeklyScheduleJob(
    ScheduleStore schedules, IssueStore issues, SendScheduler scheduler, OperatorAlerts alerts, ILogger<WeeklyScheduleJob> logger)
{
    [Queue(JobQueues.Default)]
    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RunAsync(string scheduleId, CancellationToken cancellationToken = default)
    {
        var schedule = await schedules.GetAsync(scheduleId, cancellationToken);
        if (schedule is null)
        {
            logger.LogWarning("Weekly schedule {ScheduleId} no longer exists", scheduleId);
            return;
        }
        var issueId = await issues.NextReadyIssueAsync(schedule.ListIds, cancellationToken);
        if (issueId is null)
        {
            await schedules.RecordRunAsync(scheduleId, null, "no issue was ready; nothing sent", cancellationToken);
            await alerts.RaiseAsync(new Alert($"weekly schedule {scheduleId} found no ready issue",
                $"""
                Weekly schedule {scheduleId} ran at its slot and found no issue ready for its lists: nothing was sent.

                Mark the next issue ready (newsletter issues ready SLUG, or at {alerts.Link("/admin/issues")}) and send it
                by hand, or it goes at the next slot. Runs: newsletter schedule runs {scheduleId}, or {alerts.Link("/admin/schedules")}
                """, SlotEvent(scheduleId, "empty")), cancellationToken);
            return;
        }
        SendRecord send;
        try
        {
            send = await scheduler.ScheduleAsync(issueId.Value, schedule.ListIds, at: null, scheduleId, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is PreflightFailedException or IssueFormatException)
        {
            // Nobody is there to override it: the author fixes the issue, or sends it by hand with the override.
            // An issue stored before the reader grew stricter (an unknown merge token) is refused the same way.
            await schedules.RecordRunAsync(scheduleId, null, $"{e.Message} Nothing sent.", cancellationToken);
            await alerts.RaiseAsync(new Alert($"weekly schedule {scheduleId} sent nothing: its issue was refused",
                $"""
                Weekly schedule {scheduleId} ran at its slot, but the issue it would have sent was refused: nothing was sent.
                Why: {e.Message}

                Fix the issue (newsletter preflight SLUG shows what fails) and send it by hand, with --override-preflight
                if it must go as it is. Runs: newsletter schedule runs {scheduleId}, or {alerts.Link("/admin/schedules")}
                """, SlotEvent(scheduleId, "refused")), cancellationToken);
            return;
        }
        await schedules.RecordRunAsync(scheduleId, send.Id, $"started send {send.Id} of {send.IssueSlug}", cancellationToken);
    }

    // A slot comes once a week; a retry of its job (Hangfire's, or a second run) the same day is the same event.
    private static string SlotEvent(string scheduleId, string what) =>
        $"schedule {scheduleId} {what} {DateTime.UtcNow:yyyy-MM-dd}";
}
