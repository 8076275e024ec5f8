namespace Newsletter.Bounces;

/// <summary>
/// One reading of the bounce mailbox: messages handled (moved or deleted), among them those that suppressed
/// an address, and those left in place because no report could be read from them.
/// </summary>
public sealed record MailboxReading(int Handled, int Suppressed, int Unreadable);
