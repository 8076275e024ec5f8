namespace Newsletter.Scheduling;

public sealed record ScheduleRun(string ScheduleId, DateTime RanAt, long? SendId, string Outcome);
