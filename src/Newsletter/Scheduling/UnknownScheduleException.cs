namespace Newsletter.Scheduling;

/// <summary>No weekly schedule has this id.</summary>
public sealed class UnknownScheduleException(string id)
    : NewsletterException($"There is no schedule '{id}'.");
