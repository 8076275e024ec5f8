using System.Buffers;
using System.Text.RegularExpressions;
using Newsletter.Content;

namespace Newsletter.Rendering;

/// <summary>
/// A string cut once at its merge tokens, so filling it per recipient is one length sum and one copy:
/// no searching, no intermediate strings. Immutable and thread-safe.
/// </summary>
internal sealed class MergeTemplate
{
    private const int Literal = -1;

    private readonly string _source;
    private readonly Segment[] _segments;
    private readonly int _literalLength;

    // The literal parts quoted-printable encoded, so writing a MIME part per recipient is mostly memory
    // copies. Lazy: only sending needs them, not subjects, previews or archive pages.
    private readonly Lazy<byte[][]> _quotedPrintable;

    private MergeTemplate(string source, Segment[] segments)
    {
        _source = source;
        _segments = segments;
        _literalLength = segments.Where(s => s.Field == Literal).Sum(s => s.Length);
        _quotedPrintable = new Lazy<byte[][]>(() => segments
            .Select(s => s.Field == Literal ? QuotedPrintableLines.Encode(source.Substring(s.Start, s.Length)) : [])
            .ToArray());
    }

    /// <summary>Encoded bytes of the text around the tokens: a buffer-size hint for <see cref="WriteQuotedPrintable"/>.</summary>
    public int QuotedPrintableLiteralLength => _quotedPrintable.Value.Sum(b => b.Length);

    public static MergeTemplate Parse(string source)
    {
        var segments = new List<Segment>();
        var position = 0;
        foreach (Match match in MergeTokenNames.Token().Matches(source))
        {
            if (MergeTokens.FieldOf(match.Groups["field"].ValueSpan) is not { } field)
            {
                continue;
            }

            if (match.Index > position)
            {
                segments.Add(new Segment(position, match.Index - position, Literal, null));
            }

            var fallback = match.Groups["fallback"].Success ? match.Groups["fallback"].Value.Trim() : null;
            segments.Add(new Segment(match.Index, match.Length, (int)field, fallback));
            position = match.Index + match.Length;
        }

        if (position < source.Length)
        {
            segments.Add(new Segment(position, source.Length - position, Literal, null));
        }

        return new MergeTemplate(source, [.. segments]);
    }

    /// <summary>
    /// Fills every token with <paramref name="values"/>[field], already encoded for this part.
    /// A null or empty value uses the token's own fallback, then <paramref name="defaultFallback"/>.
    /// </summary>
    public string Fill(string?[] values, string defaultFallback)
    {
        var length = _literalLength;
        foreach (var segment in _segments)
        {
            if (segment.Field != Literal)
            {
                length += Value(segment, values, defaultFallback).Length;
            }
        }

        return string.Create(length, (this, values, defaultFallback), static (span, state) =>
        {
            var (template, values, defaultFallback) = state;
            foreach (var segment in template._segments)
            {
                var part = segment.Field == Literal
                    ? template._source.AsSpan(segment.Start, segment.Length)
                    : Value(segment, values, defaultFallback).AsSpan();
                part.CopyTo(span);
                span = span[part.Length..];
            }
        });
    }

    /// <summary>
    /// Like <see cref="Fill"/>, written into <paramref name="output"/> as the quoted-printable body of a MIME
    /// part (UTF-8, CRLF lines). Each literal and each value is encoded on its own and ends at a line boundary,
    /// so only the values are encoded per recipient; the body decodes to exactly what <see cref="Fill"/> returns.
    /// </summary>
    public void WriteQuotedPrintable(string?[] values, string defaultFallback, IBufferWriter<byte> output)
    {
        var literals = _quotedPrintable.Value;
        for (var i = 0; i < _segments.Length; i++)
        {
            if (_segments[i].Field == Literal)
            {
                output.Write(literals[i]);
            }
            else
            {
                QuotedPrintableLines.Encode(Value(_segments[i], values, defaultFallback), output);
            }
        }
    }

    private static string Value(in Segment segment, string?[] values, string defaultFallback)
    {
        var value = values[segment.Field];
        return string.IsNullOrEmpty(value) ? segment.Fallback ?? (segment.Field == (int)MergeField.Name ? defaultFallback : "") : value;
    }

    private readonly record struct Segment(int Start, int Length, int Field, string? Fallback);
}
