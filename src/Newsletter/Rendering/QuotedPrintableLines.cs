using System.Buffers;
using System.Text;
using MimeKit.Encodings;

namespace Newsletter.Rendering;

/// <summary>
/// Quoted-printable encoding (MimeKit's own encoder) of one piece of a MIME part, ending at a line boundary:
/// a hard line break if the piece ended with one, a soft one ("=" CRLF) otherwise. Such pieces can be
/// concatenated as they are, each starting on a fresh line (so no line grows past 76 characters), and decode
/// to the concatenation of their texts. Lines end in CRLF, as sent over SMTP.
/// </summary>
internal static class QuotedPrintableLines
{
    // MimeKit's encoder overshoots its limit by up to 3 (an escape written, then a held-back space, then
    // the "="): with its default of 76, lines of 78 came out. 72 keeps them within RFC 2045's 76.
    private const int EncoderLineLength = 72;

    private static ReadOnlySpan<byte> Crlf => "\r\n"u8;

    private static ReadOnlySpan<byte> SoftBreak => "=\r\n"u8;

    /// <summary>The encoded piece as an array: for text encoded once and copied into many parts.</summary>
    public static byte[] Encode(string text)
    {
        var output = new ArrayBufferWriter<byte>(text.Length + text.Length / 8 + 16);
        Encode(text, output);
        return output.WrittenSpan.ToArray();
    }

    public static void Encode(ReadOnlySpan<char> text, IBufferWriter<byte> output)
    {
        if (text.IsEmpty)
        {
            return;
        }

        var encoder = new QuotedPrintableEncoder(EncoderLineLength);
        var utf8 = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        byte[]? encoded = null;
        try
        {
            var length = Encoding.UTF8.GetBytes(text, utf8);
            encoded = ArrayPool<byte>.Shared.Rent(encoder.EstimateOutputLength(length));
            // Flush, not Encode: it also encodes a trailing space or tab, which transports may strip.
            var written = encoder.Flush(utf8, 0, length, encoded);
            WriteWithCrlf(encoded.AsSpan(0, written), output);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(utf8);
            if (encoded is not null)
            {
                ArrayPool<byte>.Shared.Return(encoded);
            }
        }
    }

    // MimeKit's encoder ends lines with a bare LF (its writer converts on output); the pieces are kept
    // in the form they are sent in.
    private static void WriteWithCrlf(ReadOnlySpan<byte> encoded, IBufferWriter<byte> output)
    {
        int newLine;
        while ((newLine = encoded.IndexOf((byte)'\n')) >= 0)
        {
            output.Write(encoded[..newLine]);
            output.Write(Crlf);
            encoded = encoded[(newLine + 1)..];
        }

        // Flush ends its output with a soft break today; the splicing depends on a line boundary, so it
        // does not rely on that.
        if (!encoded.IsEmpty)
        {
            output.Write(encoded);
            output.Write(SoftBreak);
        }
    }
}
