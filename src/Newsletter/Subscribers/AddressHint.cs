namespace Newsletter.Subscribers;

/// <summary>
/// Enough of an address for its owner to recognise it (<c>j…@example.com</c>), not enough for whoever
/// holds a forwarded mail to learn it: the signed-link pages show this, never the address.
/// </summary>
public static class AddressHint
{
    public static string Of(string email)
    {
        var at = email.LastIndexOf('@');
        return at <= 0 ? "…" : $"{email[0]}…{email[at..]}";
    }
}
