namespace Newsletter.Scheduling;

/// <summary>A weekly schedule as ops look at it: when it runs next (UTC) and what its latest run did.</summary>
public sealed record ScheduleSummary(ScheduleRecord Schedule, DateTime? NextRun, ScheduleRun? LastRun);
