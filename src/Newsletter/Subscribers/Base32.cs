namespace Newsletter.Subscribers;

/// <summary>
/// RFC 4648 base32 without padding, written in lower case and read in either: for tokens in an email
/// address's local part, which some relays and forwarders fold to one case.
/// </summary>
internal static class Base32
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        var text = new char[(bytes.Length * 8 + 4) / 5];
        int buffer = 0, bits = 0, next = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                text[next++] = Alphabet[(buffer >> (bits - 5)) & 31];
                bits -= 5;
            }
        }
        if (bits > 0)
            text[next] = Alphabet[(buffer << (5 - bits)) & 31];
        return new string(text);
    }

    /// <summary>The bytes of <paramref name="text"/>; false for a character outside the alphabet or bits left over.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, Span<byte> bytes, out int written)
    {
        written = 0;
        int buffer = 0, bits = 0;
        foreach (var c in text)
        {
            var value = Alphabet.IndexOf(char.ToLowerInvariant(c), StringComparison.Ordinal);
            if (value < 0)
                return false;
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                if (written == bytes.Length)
                    return false;
                bytes[written++] = (byte)(buffer >> (bits - 8));
                bits -= 8;
            }
        }
        // No spare character and only zero bits after the last whole byte: each byte string has one spelling (up to case).
        return text.Length == (written * 8 + 4) / 5 && (buffer & ((1 << bits) - 1)) == 0;
    }
}
