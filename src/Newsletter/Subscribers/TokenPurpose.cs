namespace Newsletter.Subscribers;

/// <summary>What a signed link may do; part of the signed bytes, so one kind cannot stand in for another.</summary>
public enum TokenPurpose : byte
{
    Unsubscribe = 1,
    Preferences = 2,
    Confirm = 3,

    /// <summary>The VERP envelope sender of a delivery (a compact token: send, subscriber).</summary>
    Bounce = 4,
}
