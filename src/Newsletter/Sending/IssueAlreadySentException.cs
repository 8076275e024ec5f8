namespace Newsletter.Sending;

/// <summary>
/// The issue went, is going, or is scheduled to go to one of the lists already (<see cref="EarlierSend"/>); a
/// send again has to say whom it is for (<see cref="ResendMode"/>). Nothing was created.
/// </summary>
public sealed class IssueAlreadySentException(SendRecord earlierSend) : Exception(Describe(earlierSend))
{
    public SendRecord EarlierSend { get; } = earlierSend;

    private static string Describe(SendRecord send)
    {
        var state = send.Status switch
        {
            SendStatus.Finished => $"went to {Readers(send)} by send {send.Id}, finished {send.FinishedAt:u}",
            SendStatus.Scheduled => $"is scheduled to go by send {send.Id} at {send.ScheduledAt:u}",
            _ => $"is going out by send {send.Id} ({send.Status}, started {send.StartedAt?.ToString("u") ?? "not yet"})",
        };
        return $"Issue {send.IssueSlug} already {state}, to the same list; it is not sent to a list twice unless a resend is asked for.";
    }

    private static string Readers(SendRecord send) =>
        send.Recipients is { } count ? $"{count:#,0} reader{(count == 1 ? "" : "s")}" : "its readers";
}
