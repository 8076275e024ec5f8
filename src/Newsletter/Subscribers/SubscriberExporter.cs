using System.Globalization;
using CsvHelper;

namespace Newsletter.Subscribers;

/// <summary>Writes a list's subscriptions as RFC 4180 CSV, streamed from the database.</summary>
public sealed class SubscriberExporter(SubscriberStore store)
{
    // A name typed into the public form could be "=HYPERLINK(…)": a spreadsheet must read it as text.
    private static readonly CsvWriterOptions CsvOptions = CsvWriterOptions.Default with { Injection = CsvInjection.Escape };

    private static readonly string[] Header =
        ["email", "name", "status", "subscriber_created_at", "subscribed_at", "confirmed_at", "unsubscribed_at", "attributes"];

    /// <summary>Returns the number of rows written (the header aside).</summary>
    /// <exception cref="UnknownListException">No such list.</exception>
    public async Task<long> ExportAsync(string listSlug, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        var list = await store.FindListAsync(listSlug, cancellationToken).ConfigureAwait(false)
            ?? throw new UnknownListException([listSlug]);
        await using var csv = CsvWriter.Create(output, CsvOptions, leaveOpen: true);
        foreach (var column in Header)
            csv.WriteField(column);
        await csv.EndRecordAsync(cancellationToken).ConfigureAwait(false);
        long rows = 0;
        await foreach (var row in store.ExportAsync(list.Id, cancellationToken).ConfigureAwait(false))
        {
            csv.WriteField(row.Email);
            csv.WriteField(row.Name);
            csv.WriteField(row.Status);
            csv.WriteField(Timestamp(row.SubscriberCreatedAt));
            csv.WriteField(Timestamp(row.SubscribedAt));
            csv.WriteField(Timestamp(row.ConfirmedAt));
            csv.WriteField(Timestamp(row.UnsubscribedAt));
            csv.WriteField(row.Attributes);
            await csv.EndRecordAsync(cancellationToken).ConfigureAwait(false);
            rows++;
        }
        await csv.FlushAsync(cancellationToken).ConfigureAwait(false);
        return rows;
    }

    private static string Timestamp(DateTime? value) =>
        value is { } time ? DateTime.SpecifyKind(time, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";
}
