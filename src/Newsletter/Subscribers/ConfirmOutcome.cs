namespace Newsletter.Subscribers;

public enum ConfirmOutcome
{
    Confirmed,
    AlreadyConfirmed,

    /// <summary>The subscription is gone (expired, unsubscribed since): the link no longer applies.</summary>
    NotPending,
}
