namespace Newsletter.Scheduling;

public sealed record ScheduleRecord(string Id, long[] ListIds, string Cron, string TimeZone, string Description);
