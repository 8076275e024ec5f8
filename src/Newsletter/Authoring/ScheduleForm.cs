using Microsoft.AspNetCore.Http;
using Newsletter.Scheduling;

namespace Newsletter.Authoring;

/// <summary>A weekly schedule's form: lists, weekday, local time and zone, as posted or as stored.</summary>
public sealed record ScheduleForm(IReadOnlyList<string> Lists, string Day, string Time, string Zone)
{
    public static ScheduleForm Empty { get; } = new([], nameof(DayOfWeek.Monday), "08:00", SendForm.DefaultZone);

    public static ScheduleForm Of(IFormCollection form) => new(
        form["list"].Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!.Trim()).ToList(),
        form["day"].ToString().Trim(),
        form["time"].ToString().Trim(),
        form["zone"].ToString() is { Length: > 0 } zone ? zone : SendForm.DefaultZone);

    /// <param name="slugs">List slugs by id.</param>
    public static ScheduleForm Of(ScheduleRecord schedule, IReadOnlyDictionary<long, string> slugs)
    {
        var (day, time) = schedule.WeeklyMoment();
        return new ScheduleForm(schedule.ListIds.Select(id => slugs.GetValueOrDefault(id, $"#{id}")).ToList(), day.ToString(),
            time.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), schedule.TimeZone);
    }
}
