namespace Newsletter.Subscribers;

/// <summary>No subscriber, and nothing else held, for the address; nothing was done.</summary>
public sealed class UnknownSubscriberException(string email) : NewsletterException($"No subscriber with the address {email}.")
{
    public string Email { get; } = email;
}
