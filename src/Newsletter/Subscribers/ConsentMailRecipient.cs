namespace Newsletter.Subscribers;

/// <summary>Everything a confirmation or welcome mail needs, read fresh by the job that sends it.</summary>
public sealed record ConsentMailRecipient(
    long SubscriberId, string Email, string Name, long ListId, string ListName, string ListSlug, string Status,
    DateTime? ConfirmationSentAt, DateTime? WelcomeSentAt);
