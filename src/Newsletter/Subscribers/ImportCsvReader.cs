using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using CsvHelper;

namespace Newsletter.Subscribers;

/// <summary>
/// Reads an import file row by row, without a database: each row is either an <see cref="ImportRow"/>
/// or an <see cref="ImportRejection"/>. A file that cannot be read as a whole (no email column, not
/// UTF-8, a quote never closed, a record over 1 MiB) raises <see cref="ImportRefusedException"/>,
/// which may come after some rows were read: the caller must not keep them.
/// </summary>
public sealed class ImportCsvReader : IAsyncDisposable
{
    private const int MaxNameLength = 200;

    // PostgreSQL's numeric, which jsonb stores numbers as, overflows past 131,072 digits before the point.
    private const int MaxJsonNumberDigits = 1000;

    private static readonly CsvReaderOptions CsvOptions = CsvReaderOptions.Default with
    {
        TrackLineNumbers = true,
        SkipEmptyLines = true,
        // One unclosed quote must not swallow the file into a single field.
        MaxRecordSize = 1024 * 1024,
    };

    // What a spreadsheet runs as a formula; our export puts a ' in front of such fields.
    private static readonly SearchValues<char> FormulaStarts = SearchValues.Create("=+-@\t\r");

    private readonly CsvReader _reader;
    private readonly ArrayBufferWriter<byte> _json = new(256);
    private ImportColumns _columns = null!;
    private long _unterminatedQuoteLine;

    private ImportCsvReader(Stream csv)
    {
        // Recovered quoting is kept as text (a stray quote in a name is common), but a quote that is never
        // closed makes the rest of the file one value: every row after it would vanish unreported.
        _reader = CsvReader.Create(csv, CsvOptions with
        {
            OnMalformedRecord = malformed =>
            {
                if (malformed.Reason == CsvMalformedReason.UnterminatedQuote)
                    _unterminatedQuoteLine = malformed.LineNumber;
            },
        }, leaveOpen: true);
    }

    /// <summary>How far into the file the reader is, in bytes.</summary>
    public long ByteOffset => _reader.ByteOffset;

    /// <summary>The row just read when it is valid; see <see cref="Rejection"/> otherwise.</summary>
    public ImportRow Row { get; private set; }

    /// <summary>Why the row just read is not imported, or null when it is valid.</summary>
    public ImportRejection? Rejection { get; private set; }

    /// <summary>Reads the header row and finds the columns.</summary>
    /// <exception cref="ImportRefusedException">No email column, or unreadable CSV.</exception>
    public static async Task<ImportCsvReader> OpenAsync(Stream csv, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var file = new ImportCsvReader(csv);
        try
        {
            try
            {
                await file._reader.ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (CsvFormatException e)
            {
                throw Unreadable(e);
            }
            file.ThrowIfQuoteNeverClosed();
            var headers = file._reader.Headers;
            // The header's raw bytes are gone once it is read; a replacement character is what invalid UTF-8 became.
            if (headers.Any(h => h.Contains('\uFFFD')))
                throw NotUtf8(1);
            file._columns = ImportColumns.FromHeader(headers)
                ?? throw new ImportRefusedException(
                    "The file has no email column (looked for a header such as 'email' or 'Email Address'; found: " +
                    (headers.Count == 0 ? "no header at all" : string.Join(", ", headers.Select(h => $"'{Clean(h)}'"))) +
                    "). Nothing was imported.");
            return file;
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Moves to the next data row (empty lines aside); false at the end of the file.</summary>
    /// <exception cref="ImportRefusedException">The file is not readable CSV or not UTF-8 from here on.</exception>
    public async Task<bool> ReadAsync(CancellationToken cancellationToken = default)
    {
        bool more;
        try
        {
            more = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CsvFormatException e)
        {
            throw Unreadable(e);
        }
        ThrowIfQuoteNeverClosed();
        if (!more)
            return false;
        if (!Utf8.IsValid(_reader.RawRecord))
            throw NotUtf8(_reader.LineNumber);
        Read();
        return true;
    }

    public ValueTask DisposeAsync() => _reader.DisposeAsync();

    private void ThrowIfQuoteNeverClosed()
    {
        if (_unterminatedQuoteLine > 0)
            throw new ImportRefusedException(
                $"The file is not readable CSV: the quoted field on line {_unterminatedQuoteLine} is never closed, so the rest of the file " +
                "would be read as one value. Nothing was imported.");
    }

    private static ImportRefusedException Unreadable(CsvFormatException e) =>
        new($"The file is not readable CSV near line {e.LineNumber}: {e.Message} Nothing was imported.", e);

    private static ImportRefusedException NotUtf8(long line) =>
        new($"The file is not UTF-8 text (line {line}): save it as UTF-8 (\"CSV UTF-8\" in Excel) and import it again. Nothing was imported.");

    private void Read()
    {
        var line = _reader.LineNumber;
        Rejection = null;
        if (!EmailAddressRule.TryValidate(Field(_columns.Email), out var email, out var reason))
        {
            Rejection = new ImportRejection(line, reason);
            return;
        }
        if (!TryStandingOf(out var standing, out var suppressReason, out var unknown))
        {
            Rejection = new ImportRejection(line, unknown);
            return;
        }
        Row = new ImportRow(line, email, NameOf(), AttributesOf(), standing, suppressReason);
    }

    /// <summary>A field as written; a formula our export escaped with ' comes back as it was.</summary>
    private string Field(int index)
    {
        var value = index >= 0 && index < _reader.FieldCount ? _reader.GetString(index) ?? "" : "";
        return value.Length > 1 && value[0] == '\'' && FormulaStarts.Contains(value[1]) ? value[1..] : value;
    }

    private string NameOf()
    {
        var name = Field(_columns.Name);
        if (string.IsNullOrWhiteSpace(name))
            name = $"{Field(_columns.FirstName).Trim()} {Field(_columns.LastName).Trim()}";
        name = Clean(name);
        return name.Length > MaxNameLength ? name[..MaxNameLength] : name;
    }

    /// <summary>The least willing of what the row's status columns say; false, with why, for a value we cannot read.</summary>
    private bool TryStandingOf(out ImportStatus.Standing standing, out string? reason, out string unknown)
    {
        (standing, reason, unknown) = (ImportStatus.Standing.Subscribed, null, "");
        foreach (var (index, kind) in _columns.Statuses)
        {
            var value = Field(index);
            if (!ImportStatus.TryRead(kind, value, out var said, out var saidReason))
            {
                unknown = $"unknown status '{Clean(value)}' in column '{Clean(_reader.Headers[index])}'";
                return false;
            }
            if (said > standing)
                (standing, reason) = (said, saidReason);
        }
        return true;
    }

    private string AttributesOf()
    {
        _json.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_json))
        {
            writer.WriteStartObject();
            foreach (var index in _columns.JsonAttributes)
                WriteJsonAttributes(writer, Field(index), _reader.Headers[index]);
            foreach (var (index, key) in _columns.Attributes)
            {
                var value = Field(index);
                if (value.Length > 0)
                    writer.WriteString(key, value.Replace("\0", ""));
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(_json.WrittenSpan);
    }

    /// <summary>An exported attributes object comes back as its attributes; anything else is kept as text under the column's name.</summary>
    private static void WriteJsonAttributes(Utf8JsonWriter writer, string value, string header)
    {
        if (value.Trim().Length == 0)
            return;
        try
        {
            using var document = JsonDocument.Parse(value.Replace("\\u0000", "", StringComparison.Ordinal));
            if (document.RootElement.ValueKind == JsonValueKind.Object && FitsJsonb(document.RootElement))
            {
                foreach (var property in document.RootElement.EnumerateObject())
                    property.WriteTo(writer);
                return;
            }
        }
        catch (JsonException)
        {
            // Not JSON: kept as text, below.
        }
        writer.WriteString(header, value.Replace("\0", ""));
    }

    /// <summary>False for a number PostgreSQL's jsonb would refuse (or blow up to thousands of digits), such as 1e200000.</summary>
    private static bool FitsJsonb(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().All(p => FitsJsonb(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().All(FitsJsonb),
        JsonValueKind.Number => FitsNumeric(element.GetRawText()),
        _ => true,
    };

    private static bool FitsNumeric(string number)
    {
        var e = number.AsSpan().IndexOfAny('e', 'E');
        return (e < 0 ? number.Length : e) <= MaxJsonNumberDigits
               && (e < 0 || (int.TryParse(number.AsSpan(e + 1), out var exponent) && Math.Abs(exponent) <= MaxJsonNumberDigits));
    }

    /// <summary>PostgreSQL text and jsonb refuse NUL; line breaks and other controls have no place in a name either.</summary>
    private static string Clean(string value) =>
        value.AsSpan().IndexOfAnyInRange('\0', '\x1f') < 0 ? value.Trim() : new string(value.Where(c => !char.IsControl(c)).ToArray()).Trim();
}
