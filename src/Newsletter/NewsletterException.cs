namespace Newsletter;

/// <summary>
/// A request the newsletter refused or could not carry out, for a reason its message gives in the
/// newsletter's own words (issues, lists, sends). Nothing half-done is left behind. Front ends (the CLI,
/// pages) show the message and add what to type or click.
/// </summary>
public abstract class NewsletterException(string message, Exception? innerException = null) : Exception(message, innerException);
