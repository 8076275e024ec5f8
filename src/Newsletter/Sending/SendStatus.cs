namespace Newsletter.Sending;

/// <summary>The life of a send: scheduled → sending → finished, with paused and cancelled on the side.</summary>
public static class SendStatus
{
    public const string Scheduled = "scheduled";
    public const string Sending = "sending";
    public const string Paused = "paused";
    public const string Cancelled = "cancelled";
    public const string Finished = "finished";
}
