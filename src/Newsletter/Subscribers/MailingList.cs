namespace Newsletter.Subscribers;

public sealed record MailingList(long Id, string Slug, string Name, string Description, bool DoubleOptIn, DateTime CreatedAt);
