namespace Newsletter.Sending;

/// <summary>
/// The one mapping between the status enums and the words in the database and in printed output. Dapper
/// reads text columns into enum properties by name on its own, but sends enum parameters as integers,
/// which the columns' CHECK constraints refuse: parameters and scalar reads go through here.
/// </summary>
public static class StatusNames
{
    public static string Name(this SendStatus status) => status switch
    {
        SendStatus.Scheduled => "scheduled",
        SendStatus.Sending => "sending",
        SendStatus.Paused => "paused",
        SendStatus.Cancelled => "cancelled",
        SendStatus.Finished => "finished",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static string Name(this DeliveryStatus status) => status switch
    {
        DeliveryStatus.Pending => "pending",
        DeliveryStatus.Sending => "sending",
        DeliveryStatus.Sent => "sent",
        DeliveryStatus.Failed => "failed",
        DeliveryStatus.Skipped => "skipped",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static SendStatus ToSendStatus(string name) => name switch
    {
        "scheduled" => SendStatus.Scheduled,
        "sending" => SendStatus.Sending,
        "paused" => SendStatus.Paused,
        "cancelled" => SendStatus.Cancelled,
        "finished" => SendStatus.Finished,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Not a send status."),
    };

    public static DeliveryStatus ToDeliveryStatus(string name) => name switch
    {
        "pending" => DeliveryStatus.Pending,
        "sending" => DeliveryStatus.Sending,
        "sent" => DeliveryStatus.Sent,
        "failed" => DeliveryStatus.Failed,
        "skipped" => DeliveryStatus.Skipped,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Not a delivery status."),
    };
}
