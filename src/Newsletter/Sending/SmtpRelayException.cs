namespace Newsletter.Sending;

/// <summary>The relay could not be reached or dropped the connection; the batch's rows are pending again.</summary>
public sealed class SmtpRelayException(string message, Exception inner) : Exception(message, inner);
