namespace Newsletter.Alerts;

public sealed record AlertRecord(long Id, string? Event, string Subject, string Body, DateTime RaisedAt, DateTime? MailedAt);
