namespace Newsletter.Bounces;

/// <summary>What a bounce or complaint asks of us.</summary>
public enum BounceKind
{
    /// <summary>Not a report we can read: left where it is, counted.</summary>
    Unreadable,

    /// <summary>Permanent failure (5.x.x): the address is suppressed at once.</summary>
    Hard,

    /// <summary>Temporary failure (4.x.x, or a delay): suppressed only after several within a window.</summary>
    Soft,

    /// <summary>The reader marked the mail as spam: unsubscribed from everything and suppressed.</summary>
    Complaint,

    /// <summary>A report that asks nothing of us (delivered, relayed, expanded): handled, not recorded.</summary>
    NoAction,
}
