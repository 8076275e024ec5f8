namespace Newsletter.Sending;

/// <summary>The relay could not be reached, turned the session away or dropped the connection; the batch's rows are pending again.</summary>
public sealed class SmtpRelayException(string message, Exception inner) : Exception(message, inner)
{
    /// <summary>A failure that waiting will not mend (TLS cannot be set up): the send pauses after a few tries, not many.</summary>
    public bool Lasting { get; init; }
}
