using CsvHelper;

namespace Newsletter.Subscribers;

/// <summary>The rows an import refused as CSV (<c>line,reason</c>), so they can be fixed in the file and imported again.</summary>
public static class ImportRejectionsCsv
{
    // A reason quotes what was in the file, which a spreadsheet could run as a formula.
    private static readonly CsvWriterOptions CsvOptions = CsvWriterOptions.Default with { Injection = CsvInjection.Escape };

    public static async Task WriteAsync(IAsyncEnumerable<ImportRejection> rejections, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rejections);
        ArgumentNullException.ThrowIfNull(output);
        await using var csv = CsvWriter.Create(output, CsvOptions, leaveOpen: true);
        csv.WriteField("line");
        csv.WriteField("reason");
        await csv.EndRecordAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var rejection in rejections.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            csv.WriteField(rejection.Line.ToString(System.Globalization.CultureInfo.InvariantCulture));
            csv.WriteField(rejection.Reason);
            await csv.EndRecordAsync(cancellationToken).ConfigureAwait(false);
        }
        await csv.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
