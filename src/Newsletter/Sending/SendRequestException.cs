namespace Newsletter.Sending;

/// <summary>An author's request that cannot be carried out as asked (unknown list, time in the past…). Nothing was stored.</summary>
public sealed class SendRequestException(string message) : NewsletterException(message);
