namespace Newsletter.Scheduling;

public sealed record ScheduleRecord
{
    public string Id { get; init; } = "";
    public long[] ListIds { get; init; } = [];
    public string Cron { get; init; } = "";
    public string TimeZone { get; init; } = "";
    public string Description { get; init; } = "";
}
