namespace Newsletter.Storage;

/// <summary>
/// Start-up cannot go on for a reason the operator must fix (no PostgreSQL, wrong connection
/// string, invalid configuration). The message is the whole explanation: print it, exit non-zero.
/// </summary>
public sealed class StartupException(string message, Exception? inner = null) : NewsletterException(message, inner);
