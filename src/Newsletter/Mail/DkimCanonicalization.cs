using System.Buffers;
using System.Security.Cryptography;

namespace Newsletter.Mail;

/// <summary>
/// DKIM's "relaxed" canonicalization (RFC 6376 §3.4.2 and §3.4.4) over the bytes as they go on the wire.
/// </summary>
public static class DkimCanonicalization
{
    private static readonly SearchValues<byte> Whitespace = SearchValues.Create(" \t"u8);
    private static readonly SearchValues<byte> TrailingBlank = SearchValues.Create(" \t\r\n"u8);

    /// <summary>
    /// Writes <c>field:value</c>: the name lower-cased, the value unfolded, runs of whitespace as one space,
    /// no whitespace at either end; followed by CRLF unless <paramref name="lineBreak"/> is false (the
    /// DKIM-Signature header itself is hashed without one).
    /// </summary>
    /// <param name="rawValue">The header's value as written, folding and final line break included.</param>
    public static void WriteHeader(string field, ReadOnlySpan<byte> rawValue, IBufferWriter<byte> output, bool lineBreak = true)
    {
        var span = output.GetSpan(field.Length + rawValue.Length + 3);
        var length = 0;
        foreach (var c in field)
        {
            span[length++] = (byte)char.ToLowerInvariant(c);
        }

        span[length++] = (byte)':';
        var pendingSpace = false;
        var started = false;
        foreach (var b in rawValue)
        {
            switch (b)
            {
                case (byte)'\r' or (byte)'\n':
                    continue;
                case (byte)' ' or (byte)'\t':
                    pendingSpace = started;
                    continue;
            }

            if (pendingSpace)
            {
                span[length++] = (byte)' ';
                pendingSpace = false;
            }

            span[length++] = b;
            started = true;
        }

        if (lineBreak)
        {
            span[length++] = (byte)'\r';
            span[length++] = (byte)'\n';
        }

        output.Advance(length);
    }

    /// <summary>
    /// SHA-256 of the relaxed body: whitespace at line ends dropped, runs of it as one space, empty lines at
    /// the end dropped, and a non-empty body ending in CRLF. A body with no run of whitespace, no tab and
    /// no whitespace before a line break (mail as built here: quoted-printable encodes such spaces) is
    /// already canonical and is hashed as it is.
    /// </summary>
    /// <param name="body">The body with CRLF line breaks, exactly as sent.</param>
    public static byte[] HashBody(ReadOnlySpan<byte> body)
    {
        var end = body.LastIndexOfAnyExcept(TrailingBlank);
        if (end < 0)
        {
            return SHA256.HashData(ReadOnlySpan<byte>.Empty);
        }

        body = body[..(end + 1)];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (body.IndexOf((byte)'\t') < 0 && body.IndexOf("  "u8) < 0 && body.IndexOf(" \r\n"u8) < 0)
        {
            hash.AppendData(body);
        }
        else
        {
            var canonical = ArrayPool<byte>.Shared.Rent(body.Length);
            hash.AppendData(canonical, 0, CollapseWhitespace(body, canonical));
            ArrayPool<byte>.Shared.Return(canonical);
        }

        hash.AppendData("\r\n"u8);
        return hash.GetHashAndReset();
    }

    private static int CollapseWhitespace(ReadOnlySpan<byte> body, Span<byte> output)
    {
        var length = 0;
        while (!body.IsEmpty)
        {
            var blank = body.IndexOfAny(Whitespace);
            var text = blank < 0 ? body : body[..blank];
            text.CopyTo(output[length..]);
            length += text.Length;
            if (blank < 0)
            {
                break;
            }

            body = body[blank..];
            body = body[Math.Max(body.IndexOfAnyExcept(Whitespace), 0)..];
            if (!body.StartsWith("\r\n"u8))
            {
                output[length++] = (byte)' ';
            }
        }

        return length;
    }
}
