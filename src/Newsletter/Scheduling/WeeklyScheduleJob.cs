using Hangfire;
using Microsoft.Extensions.Logging;
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
public sealed class WeeklyScheduleJob(ScheduleStore schedules, IssueStore issues, SendScheduler scheduler, ILogger<WeeklyScheduleJob> logger)
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
            logger.LogWarning("Weekly schedule {ScheduleId}: no issue ready, nothing sent", scheduleId);
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
            logger.LogWarning("Weekly schedule {ScheduleId}: {Refusal}", scheduleId, e.Message);
            return;
        }
        await schedules.RecordRunAsync(scheduleId, send.Id, $"started send {send.Id} of {send.IssueSlug}", cancellationToken);
    }
}
