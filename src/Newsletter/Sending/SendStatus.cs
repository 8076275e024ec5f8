namespace Newsletter.Sending;

/// <summary>
/// The life of a send: scheduled → sending → finished, with paused and cancelled on the side. Stored as
/// the lower-case name (<see cref="StatusNames"/>).
/// </summary>
public enum SendStatus
{
    Scheduled,
    Sending,
    Paused,
    Cancelled,
    Finished,
}
