namespace Newsletter.Sending;

/// <summary>
/// The issue went, is going, or is scheduled to go to one of the lists already (<see cref="EarlierSend"/>); a
/// send again has to say whom it is for (<see cref="ResendMode"/>). Nothing was created.
/// </summary>
public sealed class IssueAlreadySentException(SendRecord earlierSend) : NewsletterException(Describe(earlierSend))
{
    public SendRecord EarlierSend { get; } = earlierSend;

    private static string Describe(SendRecord send)
    {
        var what = send.Status switch
        {
            SendStatus.Finished => $"went to {Readers(send)} of the same list in send {send.Id}, finished {send.FinishedAt:u}",
            SendStatus.Scheduled => $"is already scheduled for the same list as send {send.Id}, at {send.ScheduledAt:u}",
            _ => $"is already going to the same list as send {send.Id} ({send.Status.Name()}, started {send.StartedAt?.ToString("u") ?? "not yet"})",
        };
        return $"Issue {send.IssueSlug} {what}; an issue goes to a list once unless it is resent.";
    }

    private static string Readers(SendRecord send) =>
        send.Recipients is { } count ? $"{count:#,0} reader{(count == 1 ? "" : "s")}" : "the readers";
}
