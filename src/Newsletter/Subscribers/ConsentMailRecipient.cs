namespace Newsletter.Subscribers;

/// <summary>
/// Everything a confirmation or welcome mail needs, read fresh by the job that sends it.
/// <see cref="AwaitsConfirmation"/>: never confirmed, or asked for again after an opt-out.
/// </summary>
public sealed record ConsentMailRecipient(
    long SubscriberId, string Email, string Name, long ListId, string ListName, string ListSlug, string Status,
    bool AwaitsConfirmation, DateTime? WelcomeSentAt);
