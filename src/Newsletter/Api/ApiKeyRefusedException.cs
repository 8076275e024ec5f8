namespace Newsletter.Api;

/// <summary>An API key could not be made or revoked as asked; the message says why. Nothing was changed.</summary>
public sealed class ApiKeyRefusedException(string message) : NewsletterException(message);
