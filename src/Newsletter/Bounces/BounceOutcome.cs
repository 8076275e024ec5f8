namespace Newsletter.Bounces;

/// <summary>What recording one bounce or complaint did.</summary>
public enum BounceOutcome
{
    /// <summary>It names no message we sent (never sent, a forged token, an address that does not match): nothing changed.</summary>
    Unmatched,

    /// <summary>Already recorded for this delivery: nothing changed.</summary>
    Duplicate,

    /// <summary>Recorded; the address stays (a soft bounce under the limit, or suppressed before).</summary>
    Counted,

    /// <summary>Recorded, and the address is now suppressed (a complaint: also unsubscribed from every list).</summary>
    Suppressed,
}
