using Hangfire;
using Hangfire.Storage;
using Newsletter.Sending;
using Newsletter.Subscribers;

namespace Newsletter.Scheduling;

/// <summary>Weekly schedules: a row of ours plus the Hangfire recurring job that runs it.</summary>
public sealed class WeeklySchedules(ScheduleStore schedules, SendScheduler scheduler, IRecurringJobManager recurring, JobStorage storage)
{
    /// <exception cref="SendRequestException">Unknown day, time or time zone; nothing is created.</exception>
    /// <exception cref="UnknownListException">Unknown list; nothing is created.</exception>
    public async Task<ScheduleRecord> CreateAsync(IReadOnlyList<string> listSlugs, string day, string time, string timeZone,
        CancellationToken cancellationToken = default)
    {
        if (!Enum.TryParse<DayOfWeek>(day, ignoreCase: true, out var weekday) || int.TryParse(day, out _))
            throw new SendRequestException($"'{day}' is not a weekday; use Monday … Sunday.");
        if (!TimeOnly.TryParseExact(time, "HH:mm", out var at))
            throw new SendRequestException($"'{time}' is not a time of day as HH:MM (24-hour), e.g. 08:30.");
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone))
            throw new SendRequestException($"'{timeZone}' is not a known IANA time zone, e.g. Europe/Berlin or America/New_York.");
        var listIds = await scheduler.ResolveListsAsync(listSlugs, cancellationToken);

        var id = IdFor(listSlugs);
        var schedule = new ScheduleRecord
        {
            Id = id,
            ListIds = listIds,
            Cron = $"{at.Minute} {at.Hour} * * {(int)weekday}",
            TimeZone = zone.Id,
            Description = $"every {weekday} at {at:HH:mm} {zone.Id} to {string.Join(", ", listSlugs)}",
        };
        await schedules.UpsertAsync(schedule, cancellationToken);
        Register(schedule);
        return schedule;
    }

    /// <summary>A schedule's id names its lists: one schedule per set of lists, which <see cref="CreateAsync"/> replaces.</summary>
    public static string IdFor(IReadOnlyList<string> listSlugs) => $"weekly-{string.Join('+', listSlugs.Order())}";

    /// <summary>Every schedule with its next run (from Hangfire) and its latest run.</summary>
    public async Task<IReadOnlyList<ScheduleSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        var all = await schedules.ListAsync(cancellationToken);
        var lastRuns = await schedules.LastRunOfEachAsync(cancellationToken);
        using var connection = storage.GetConnection();
        var next = connection.GetRecurringJobs(all.Select(s => s.Id).ToList()).ToDictionary(job => job.Id, job => job.NextExecution);
        return all.Select(s => new ScheduleSummary(s, next.GetValueOrDefault(s.Id), lastRuns.GetValueOrDefault(s.Id))).ToList();
    }

    /// <summary>The schedule's latest runs, newest first.</summary>
    /// <exception cref="UnknownScheduleException">No such schedule.</exception>
    public async Task<IReadOnlyList<ScheduleRun>> RunsAsync(string id, int limit, CancellationToken cancellationToken = default)
    {
        if (await schedules.GetAsync(id, cancellationToken) is null)
            throw new UnknownScheduleException(id);
        return await schedules.LastRunsAsync(id, limit, cancellationToken);
    }

    /// <summary>Deletes the schedule, its runs and its recurring job; sends it already started go on.</summary>
    /// <exception cref="UnknownScheduleException">No such schedule; nothing changed.</exception>
    public async Task DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        // The row first: a job left behind by a crash in between finds no schedule and does nothing.
        if (!await schedules.DeleteAsync(id, cancellationToken))
            throw new UnknownScheduleException(id);
        recurring.RemoveIfExists(id);
    }

    /// <summary>
    /// Writes every stored schedule's recurring job again. Our rows are the source of truth: a job lost
    /// from Hangfire's tables, or stored with an older signature of <see cref="WeeklyScheduleJob"/>, is
    /// made whole at the next start.
    /// </summary>
    public async Task RegisterAllAsync(CancellationToken cancellationToken = default)
    {
        foreach (var schedule in await schedules.ListAsync(cancellationToken))
            Register(schedule);
    }

    private void Register(ScheduleRecord schedule)
    {
        var id = schedule.Id;
        // Hangfire evaluates the cron in the zone, so the local hour holds across daylight-saving changes.
        recurring.AddOrUpdate<WeeklyScheduleJob>(id, job => job.RunAsync(id, CancellationToken.None), schedule.Cron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.FindSystemTimeZoneById(schedule.TimeZone) });
    }
}
