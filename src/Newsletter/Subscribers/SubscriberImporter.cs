using System.Buffers;
using System.Text;
using System.Text.Json;
using CsvHelper;
using Npgsql;

namespace Newsletter.Subscribers;

/// <summary>
/// Imports a CSV file into a list in constant memory: rows are validated as they stream past and
/// staged by COPY, then merged in the same transaction, so a failure leaves the list as it was.
/// </summary>
public sealed class SubscriberImporter(NpgsqlDataSource database, SubscriberStore store)
{
    private const int MaxNameLength = 200;
    private const int ProgressEvery = 8192;

    private static readonly CsvReaderOptions CsvOptions = CsvReaderOptions.Default with
    {
        TrackLineNumbers = true,
        SkipEmptyLines = true,
        // One unclosed quote must not swallow the file into a single field.
        MaxRecordSize = 1024 * 1024,
    };

    /// <param name="csv">The file; read once, front to back.</param>
    /// <param name="onRejected">Called for each invalid row, in file order, as it is found.</param>
    /// <param name="progress">Receives how many bytes of the file have been read.</param>
    /// <exception cref="UnknownListException">No such list: nothing changed.</exception>
    /// <exception cref="ImportRefusedException">No email column, or unreadable CSV: nothing changed.</exception>
    public async Task<ImportSummary> ImportAsync(Stream csv, string listSlug, bool confirmed, Action<ImportRejection> onRejected,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentNullException.ThrowIfNull(onRejected);
        var list = await store.FindListAsync(listSlug, cancellationToken).ConfigureAwait(false)
            ?? throw new UnknownListException([listSlug]);

        await using var reader = CsvReader.Create(csv, CsvOptions, leaveOpen: true);
        try
        {
            await reader.ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
            var columns = ImportColumns.FromHeader(reader.Headers)
                ?? throw new ImportRefusedException(
                    "The file has no email column (looked for a header such as 'email' or 'Email Address'; found: " +
                    (reader.Headers.Count == 0 ? "no header at all" : string.Join(", ", reader.Headers.Select(h => $"'{h}'"))) +
                    "). Nothing was imported.");

            await using var import = await SubscriberImportStore.BeginAsync(database, list.Id, cancellationToken).ConfigureAwait(false);
            var json = new ArrayBufferWriter<byte>(256);
            long read = 0, rejected = 0;
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                read++;
                if (read % ProgressEvery == 0)
                    progress?.Report(reader.ByteOffset);
                if (!EmailAddressRule.TryValidate(Field(reader, columns.Email), out var email, out var reason))
                {
                    rejected++;
                    onRejected(new ImportRejection(reader.LineNumber, reason));
                    continue;
                }
                if (!TryStandingOf(reader, columns, out var standing, out var suppressReason, out var unknown))
                {
                    rejected++;
                    onRejected(new ImportRejection(reader.LineNumber, unknown));
                    continue;
                }
                await import.AddAsync(reader.LineNumber, email, NameOf(reader, columns), AttributesOf(reader, columns, json),
                    standing, suppressReason, cancellationToken).ConfigureAwait(false);
            }
            progress?.Report(csv.CanSeek ? csv.Length : reader.ByteOffset);

            var detail = JsonSerializer.Serialize(new { list = list.Slug, confirmed, at = DateTimeOffset.UtcNow });
            var merged = await import.CommitAsync(confirmed, detail, cancellationToken).ConfigureAwait(false);
            return new ImportSummary(read, merged.Imported, merged.Updated, rejected, merged.Suppressed, merged.Unsubscribed,
                merged.Staged - merged.Imported - merged.Updated - merged.Suppressed - merged.Unsubscribed);
        }
        catch (CsvFormatException e)
        {
            throw new ImportRefusedException($"The file is not readable CSV near line {e.LineNumber}: {e.Message} Nothing was imported.", e);
        }
    }

    private static string Field(CsvReader reader, int index) =>
        index >= 0 && index < reader.FieldCount ? reader.GetString(index) ?? "" : "";

    private static string NameOf(CsvReader reader, ImportColumns columns)
    {
        var name = Field(reader, columns.Name);
        if (string.IsNullOrWhiteSpace(name))
            name = $"{Field(reader, columns.FirstName).Trim()} {Field(reader, columns.LastName).Trim()}";
        name = Clean(name);
        return name.Length > MaxNameLength ? name[..MaxNameLength] : name;
    }

    /// <summary>The least willing of what the row's status columns say; false, with why, for a value we cannot read.</summary>
    private static bool TryStandingOf(CsvReader reader, ImportColumns columns, out ImportStatus.Standing standing, out string? reason,
        out string unknown)
    {
        (standing, reason, unknown) = (ImportStatus.Standing.Subscribed, null, "");
        foreach (var (index, kind) in columns.Statuses)
        {
            var value = Field(reader, index);
            if (!ImportStatus.TryRead(kind, value, out var said, out var saidReason))
            {
                unknown = $"unknown status '{Clean(value)}' in column '{reader.Headers[index]}'";
                return false;
            }
            if (said > standing)
                (standing, reason) = (said, saidReason);
        }
        return true;
    }

    private static string AttributesOf(CsvReader reader, ImportColumns columns, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var index in columns.JsonAttributes)
                WriteJsonAttributes(writer, Field(reader, index), reader.Headers[index]);
            foreach (var (index, key) in columns.Attributes)
            {
                var value = Field(reader, index);
                if (value.Length > 0)
                    writer.WriteString(key, value.Replace("\0", ""));
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>An exported attributes object comes back as its attributes; anything else is kept as text under the column's name.</summary>
    private static void WriteJsonAttributes(Utf8JsonWriter writer, string value, string header)
    {
        if (value.Trim().Length == 0)
            return;
        try
        {
            using var document = JsonDocument.Parse(value.Replace("\\u0000", "", StringComparison.Ordinal));
            if (document.RootElement.ValueKind == JsonValueKind.Object)
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

    /// <summary>PostgreSQL text and jsonb refuse NUL; line breaks and other controls have no place in a name either.</summary>
    private static string Clean(string value) =>
        value.AsSpan().IndexOfAnyInRange('\0', '\x1f') < 0 ? value.Trim() : new string(value.Where(c => !char.IsControl(c)).ToArray()).Trim();
}
