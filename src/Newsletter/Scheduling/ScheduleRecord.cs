using System.Globalization;

namespace Newsletter.Scheduling;

public sealed record ScheduleRecord
{
    public string Id { get; init; } = "";
    public long[] ListIds { get; init; } = [];
    public string Cron { get; init; } = "";
    public string TimeZone { get; init; } = "";
    public string Description { get; init; } = "";

    /// <summary>The weekday and local time of day in the cron <see cref="WeeklySchedules"/> writes: <c>m h * * d</c>.</summary>
    public (DayOfWeek Day, TimeOnly Time) WeeklyMoment()
    {
        var fields = Cron.Split(' ');
        return ((DayOfWeek)int.Parse(fields[4], CultureInfo.InvariantCulture),
            new TimeOnly(int.Parse(fields[1], CultureInfo.InvariantCulture), int.Parse(fields[0], CultureInfo.InvariantCulture)));
    }
}
