namespace Newsletter.Subscribers;

/// <summary>What a sign-up did. The public response is the same for all of them.</summary>
public enum SubscribeOutcome
{
    /// <summary>Waiting for the subscriber to follow the confirmation link.</summary>
    ConfirmationNeeded,

    /// <summary>Single opt-in: subscribed at once.</summary>
    Confirmed,

    /// <summary>Was subscribed already; nothing changed.</summary>
    AlreadyConfirmed,

    /// <summary>The address is suppressed (bounce, complaint, manual); nothing changed and no mail goes out.</summary>
    Suppressed,
}
