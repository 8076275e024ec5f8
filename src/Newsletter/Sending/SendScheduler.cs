using Hangfire;
using Newsletter.Content;
using Newsletter.Issues;
using Newsletter.Preflight;
using Newsletter.Subscribers;

namespace Newsletter.Sending;

/// <summary>What the author does with sends: schedule, pause, resume, cancel.</summary>
public sealed class SendScheduler(
    SendStore sends, StartSendJob starter, IBackgroundJobClient jobs, IssueStore issues, IssueReader reader, IssuePreflight preflight)
{
    /// <summary>How long before its moment a scheduled send is rendered and its audience frozen.</summary>
    public static readonly TimeSpan PrepareAhead = TimeSpan.FromMinutes(2);

    /// <summary>Creates a send of a stored issue to the lists, starting at <paramref name="at"/> (UTC) or now.</summary>
    /// <exception cref="UnknownListException">A slug names no list; nothing is created.</exception>
    /// <exception cref="SendRequestException">No list, or a moment in the past; nothing is created.</exception>
    /// <exception cref="IssueAlreadySentException">
    /// The issue went or goes to one of the lists already and <paramref name="resend"/> is <see cref="ResendMode.None"/>;
    /// nothing is created.
    /// </exception>
    /// <exception cref="PreflightFailedException">
    /// The issue fails its preflight and <paramref name="overridePreflight"/> is false; nothing is created. With it, the
    /// failing lines are recorded with the send (<see cref="SendRecord.PreflightOverride"/>).
    /// </exception>
    public async Task<SendRecord> ScheduleAsync(long issueId, IReadOnlyList<string> listSlugs, DateTime? at, string? scheduleId = null,
        ResendMode resend = ResendMode.None, bool overridePreflight = false, CancellationToken cancellationToken = default)
    {
        var listIds = await ResolveListsAsync(listSlugs, cancellationToken);
        return await ScheduleAsync(issueId, listIds, at, scheduleId, resend, overridePreflight, cancellationToken);
    }

    /// <exception cref="SendRequestException">A moment in the past; nothing is created.</exception>
    /// <exception cref="IssueAlreadySentException">As above; nothing is created.</exception>
    /// <exception cref="PreflightFailedException">As above; nothing is created.</exception>
    public async Task<SendRecord> ScheduleAsync(long issueId, long[] listIds, DateTime? at, string? scheduleId,
        ResendMode resend = ResendMode.None, bool overridePreflight = false, CancellationToken cancellationToken = default)
    {
        if (at is { } moment && moment < DateTime.UtcNow.AddSeconds(-1))
            throw new SendRequestException($"The send time {moment:u} is in the past; a send starts now or at a future time.");
        var stored = await issues.GetIssueAsync(issueId, cancellationToken);
        var report = await preflight.RunAsync(reader.Parse(stored.Source, stored.Slug), cancellationToken);
        if (report.HasFailures && !overridePreflight)
            throw new PreflightFailedException(report);
        var overridden = report.HasFailures ? string.Join('\n', report.Failures.Select(f => $"{f.Check}: {f.Message}")) : null;
        var scheduledAt = at ?? DateTime.UtcNow;
        var sendId = await sends.CreateSendAsync(issueId, listIds, scheduledAt, scheduleId,
            onlyMissed: resend == ResendMode.Missed, once: resend == ResendMode.None, overridden, cancellationToken);
        var delay = scheduledAt - DateTime.UtcNow;
        if (delay > TimeSpan.Zero)
        {
            // Render and freeze ahead, so the first message leaves at the moment, not a freeze later.
            var prepareIn = delay - PrepareAhead;
            if (prepareIn > TimeSpan.Zero)
                jobs.Schedule<StartSendJob>(job => job.PrepareAsync(sendId, CancellationToken.None), prepareIn);
            else
                jobs.Enqueue<StartSendJob>(job => job.PrepareAsync(sendId, CancellationToken.None));
            jobs.Schedule<StartSendJob>(job => job.RunAsync(sendId, CancellationToken.None), delay);
        }
        else
            jobs.Enqueue<StartSendJob>(job => job.RunAsync(sendId, CancellationToken.None));
        return (await sends.GetSendAsync(sendId, cancellationToken))!;
    }

    /// <exception cref="SendRequestException">No slug given.</exception>
    /// <exception cref="UnknownListException">Any slug names no list.</exception>
    public async Task<long[]> ResolveListsAsync(IReadOnlyList<string> listSlugs, CancellationToken cancellationToken = default)
    {
        if (listSlugs.Count == 0)
            throw new SendRequestException("A send needs at least one list.");
        var (ids, unknown) = await sends.ResolveListsAsync(listSlugs, cancellationToken);
        if (unknown.Length > 0)
            throw new UnknownListException(unknown);
        return ids;
    }

    public async Task<bool> PauseAsync(long sendId, CancellationToken cancellationToken = default) =>
        await sends.TrySetStatusAsync(sendId, SendStatus.Paused, "paused by the author", [SendStatus.Sending, SendStatus.Scheduled],
            cancellationToken);

    /// <summary>Resumes a paused send: one batch chain per pooled connection again.</summary>
    public async Task<bool> ResumeAsync(long sendId, CancellationToken cancellationToken = default)
    {
        var send = await sends.GetSendAsync(sendId, cancellationToken);
        if (send is null || send.Status != SendStatus.Paused)
            return false;
        // A send paused before it started goes back to waiting for its moment.
        var target = send.StartedAt is null ? SendStatus.Scheduled : SendStatus.Sending;
        if (!await sends.TrySetStatusAsync(sendId, target, null, [SendStatus.Paused], cancellationToken))
            return false;
        if (target == SendStatus.Sending)
            starter.StartBatches(sendId, send.Recipients ?? 0);
        else if (send.ScheduledAt <= DateTime.UtcNow)
            jobs.Enqueue<StartSendJob>(job => job.RunAsync(sendId, CancellationToken.None));
        return true;
    }

    /// <summary>Stops a send for good; the readers it had not reached are marked skipped (<see cref="SendStore.CancelAsync"/>).</summary>
    public Task<bool> CancelAsync(long sendId, CancellationToken cancellationToken = default) =>
        sends.CancelAsync(sendId, "cancelled by the author", cancellationToken);
}
