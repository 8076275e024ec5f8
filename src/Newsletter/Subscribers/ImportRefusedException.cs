namespace Newsletter.Subscribers;

/// <summary>The import did not start, or was rolled back: nothing in the database changed. The message says why.</summary>
public sealed class ImportRefusedException(string message, Exception? innerException = null) : NewsletterException(message, innerException);
