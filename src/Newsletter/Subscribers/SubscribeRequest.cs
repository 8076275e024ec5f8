namespace Newsletter.Subscribers;

/// <summary>The sign-up form, as form fields or JSON. <see cref="Website"/> is the honeypot: people never see it, bots fill it.</summary>
public sealed record SubscribeRequest(string? Email, string? Name, string? List, string? Website);
