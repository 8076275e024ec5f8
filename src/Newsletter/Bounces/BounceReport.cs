namespace Newsletter.Bounces;

/// <summary>
/// One bounce or complaint as read from a report: the recipient it is about, the enhanced status code
/// (<c>5.1.1</c>; null for a complaint), the relay's own words, and what ties it to a delivery: the VERP
/// token of the address it came back to, or the Message-ID of the message it returns.
/// </summary>
public sealed record BounceReport(
    BounceKind Kind,
    string? Recipient = null,
    string? Status = null,
    string? Diagnostic = null,
    string? VerpToken = null,
    string? OriginalMessageId = null)
{
    public static readonly BounceReport Unreadable = new(BounceKind.Unreadable);

    /// <summary>The kind an enhanced status code (RFC 3463) calls for: 5.x.x hard, 4.x.x soft, 2.x.x nothing.</summary>
    public static BounceKind KindOf(string? status) => status?.Trim() switch
    {
        ['5', '.', ..] => BounceKind.Hard,
        ['4', '.', ..] => BounceKind.Soft,
        ['2', '.', ..] => BounceKind.NoAction,
        _ => BounceKind.Unreadable,
    };
}
