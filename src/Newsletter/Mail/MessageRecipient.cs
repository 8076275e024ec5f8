namespace Newsletter.Mail;

/// <summary>Who one message goes to, and the link that lets them leave the list.</summary>
/// <param name="UnsubscribeUrl">HTTPS endpoint that accepts the RFC 8058 one-click POST; null for mail to someone on no list yet.</param>
public sealed record MessageRecipient(string Email, string? Name, string? UnsubscribeUrl);
