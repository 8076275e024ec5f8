namespace Newsletter.Server.Cli;

/// <summary>A verb's own refusal (no such stored issue or send, a list that exists already); reported like the library's.</summary>
public sealed class CommandRefusedException(string message) : NewsletterException(message);
