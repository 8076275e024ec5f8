using System.Text.Json;
using Npgsql;

namespace Newsletter.Subscribers;

/// <summary>
/// Imports a CSV file into a list in constant memory: rows are validated as they stream past
/// (<see cref="ImportCsvReader"/>) and staged by COPY, then merged in the same transaction, so a
/// failure leaves the list as it was.
/// </summary>
public sealed class SubscriberImporter(NpgsqlDataSource database, SubscriberStore store)
{
    private const int ProgressEvery = 8192;

    /// <param name="csv">The file; read once, front to back.</param>
    /// <param name="onRejected">Called for each invalid row, in file order, as it is found.</param>
    /// <param name="progress">Receives how many bytes of the file have been read.</param>
    /// <exception cref="UnknownListException">No such list: nothing changed.</exception>
    /// <exception cref="ImportRefusedException">No email column, unreadable CSV or not UTF-8: nothing changed.</exception>
    public async Task<ImportSummary> ImportAsync(Stream csv, string listSlug, bool confirmed, Action<ImportRejection> onRejected,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentNullException.ThrowIfNull(onRejected);
        var list = await store.FindListAsync(listSlug, cancellationToken).ConfigureAwait(false)
            ?? throw new UnknownListException([listSlug]);

        await using var file = await ImportCsvReader.OpenAsync(csv, cancellationToken).ConfigureAwait(false);
        await using var import = await SubscriberImportStore.BeginAsync(database, list.Id, cancellationToken).ConfigureAwait(false);
        long read = 0, rejected = 0;
        while (await file.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            read++;
            if (read % ProgressEvery == 0)
                progress?.Report(file.ByteOffset);
            if (file.Rejection is { } rejection)
            {
                rejected++;
                onRejected(rejection);
                continue;
            }
            var row = file.Row;
            await import.AddAsync(row.Line, row.Email, row.Name, row.AttributesJson, row.Standing, row.SuppressReason,
                cancellationToken).ConfigureAwait(false);
        }
        progress?.Report(csv.CanSeek ? csv.Length : file.ByteOffset);

        var detail = JsonSerializer.Serialize(new { list = list.Slug, confirmed, at = DateTimeOffset.UtcNow });
        var merged = await import.CommitAsync(confirmed, detail, cancellationToken).ConfigureAwait(false);
        return new ImportSummary(read, merged.Imported, merged.Updated, rejected, merged.Suppressed, merged.Unsubscribed,
            merged.Staged - merged.Imported - merged.Updated - merged.Suppressed - merged.Unsubscribed);
    }
}
