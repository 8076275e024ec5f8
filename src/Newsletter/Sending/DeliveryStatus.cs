namespace Newsletter.Sending;

/// <summary>
/// Where one recipient of a send stands: pending → sending (claimed, under a lease) → sent, failed or
/// skipped. Stored as the lower-case name (<see cref="StatusNames"/>).
/// </summary>
public enum DeliveryStatus
{
    Pending,
    Sending,
    Sent,
    Failed,
    Skipped,
}
