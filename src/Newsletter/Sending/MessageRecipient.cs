namespace Newsletter.Sending;

/// <summary>Who one message goes to, and the links that let them leave the list.</summary>
/// <param name="UnsubscribeUrl">HTTPS endpoint that accepts the RFC 8058 one-click POST.</param>
/// <param name="UnsubscribeMailto">
/// Optional <c>mailto:</c> form for clients that prefer it, e.g. <c>mailto:unsubscribe@example.com?subject=…</c>.
/// </param>
public sealed record MessageRecipient(string Email, string? Name, string? UnsubscribeUrl, string? UnsubscribeMailto = null);
