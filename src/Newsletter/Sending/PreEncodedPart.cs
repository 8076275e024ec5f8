using MimeKit;
using MimeKit.IO;
using MimeKit.IO.Filters;

namespace Newsletter.Sending;

/// <summary>
/// A text part whose content is already quoted-printable in CRLF lines, written out as it is. A MimeKit
/// <see cref="MimePart"/> pipes its content through a line-ending filter on every write, even when the
/// encodings match: for a 60 KB issue that was ~60 µs per write, and every message is written at least
/// twice (DKIM's body hash, then the SMTP transaction).
/// </summary>
public sealed class PreEncodedPart : MimeEntity
{
    private readonly ReadOnlyMemory<byte> _content;

    /// <param name="subtype">plain or html.</param>
    /// <param name="quotedPrintable">UTF-8 text, quoted-printable encoded, CRLF line breaks.</param>
    public PreEncodedPart(string subtype, ReadOnlyMemory<byte> quotedPrintable)
        : base(new ContentType("text", subtype) { Charset = "utf-8" })
    {
        Headers.Add(HeaderId.ContentTransferEncoding, "quoted-printable");
        _content = quotedPrintable;
    }

    /// <summary>The encoded content, as written with CRLF line breaks.</summary>
    public ReadOnlyMemory<byte> Content => _content;

    /// <summary>Quoted-printable is 7-bit with short lines already: nothing to prepare.</summary>
    public override void Prepare(EncodingConstraint constraint, int maxLineLength = 78)
    {
    }

    public override void WriteTo(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
    {
        base.WriteTo(options, stream, contentOnly, cancellationToken);
        if (options.NewLineFormat == NewLineFormat.Dos)
        {
            stream.Write(_content.Span);
            return;
        }

        using var filtered = new FilteredStream(stream);
        filtered.Add(new Dos2UnixFilter());
        filtered.Write(_content.Span);
        filtered.Flush(cancellationToken);
    }

    public override async Task WriteToAsync(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
    {
        await base.WriteToAsync(options, stream, contentOnly, cancellationToken).ConfigureAwait(false);
        if (options.NewLineFormat == NewLineFormat.Dos)
        {
            await stream.WriteAsync(_content, cancellationToken).ConfigureAwait(false);
            return;
        }

        using var filtered = new FilteredStream(stream);
        filtered.Add(new Dos2UnixFilter());
        await filtered.WriteAsync(_content, cancellationToken).ConfigureAwait(false);
        await filtered.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
