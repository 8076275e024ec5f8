namespace Newsletter.Subscribers;

/// <summary>What a sign-up did. The public response is the same for all of them.</summary>
public enum SubscribeOutcome
{
    /// <summary>Waiting for the subscriber to follow the confirmation link (after an opt-out, still unsubscribed until then).</summary>
    ConfirmationNeeded,

    /// <summary>Single opt-in: subscribed at once.</summary>
    Confirmed,

    /// <summary>Was subscribed already; nothing changed.</summary>
    AlreadyConfirmed,

    /// <summary>The address is suppressed (bounce, complaint, manual, unsubscribed from everything) or erased; nothing changed and no mail goes out.</summary>
    Suppressed,
}
