using MimeKit;

namespace Newsletter.Subscribers;

/// <summary>What we accept as a subscriber's address, for the form and the import alike.</summary>
public static class EmailAddressRule
{
    /// <summary>RFC 5321 caps a forward path at 256 octets including the angle brackets.</summary>
    public const int MaxLength = 254;

    /// <summary>
    /// True for exactly one bare address (no display name, no list, no line break) of at most
    /// <see cref="MaxLength"/> characters whose domain has a dot. <paramref name="address"/> is the
    /// trimmed input; <paramref name="reason"/> says what is wrong otherwise.
    /// </summary>
    public static bool TryValidate(string? raw, out string address, out string reason)
    {
        address = (raw ?? "").Trim(' ', '\t');
        reason = "";
        if (address.Length == 0)
            reason = "no email address";
        else if (address.AsSpan().IndexOfAny('\r', '\n') >= 0)
            reason = "the address contains a line break";
        else if (address.Contains('\0'))
            reason = "the address contains a NUL character";
        else if (address.Length > MaxLength)
            reason = $"the address is longer than {MaxLength} characters";
        else if (address.AsSpan().IndexOfAny(" \t,;<>()\"") >= 0)
            reason = "not a single plain address";
        else if (!MailboxAddress.TryParse(ParserOptions.Default, address, out var mailbox) || mailbox.Address != address
                 || address.IndexOf('@') <= 0 || address.IndexOf('@') != address.LastIndexOf('@')
                 || !IsDomain(address[(address.IndexOf('@') + 1)..]))
            reason = "not a valid email address";
        return reason.Length == 0;
    }

    private static bool IsDomain(string domain) =>
        domain.Length > 2 && domain.Contains('.') && !domain.StartsWith('.') && !domain.EndsWith('.') && !domain.Contains("..");
}
