namespace Newsletter.Subscribers;

public sealed record ExportRow(
    string Email, string Name, string Status, DateTime SubscriberCreatedAt, DateTime SubscribedAt,
    DateTime? ConfirmedAt, DateTime? UnsubscribedAt, string Attributes);
