namespace Newsletter.Sending;

/// <summary>What to do when the issue has already gone (or is going) to one of the lists.</summary>
public enum ResendMode
{
    /// <summary>Refuse: an issue goes to a list once.</summary>
    None,

    /// <summary>Send again, only to readers of the lists the issue has not reached (new readers, failures).</summary>
    Missed,

    /// <summary>Send again to every reader of the lists.</summary>
    All,
}
