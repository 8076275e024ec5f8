namespace Newsletter.Subscribers;

/// <summary>
/// An import of a CSV file into a list, as its job left it: <see cref="ReadBytes"/> of <see cref="TotalBytes"/> read so far,
/// then the summary (<see cref="Summary"/>) or why it failed (<see cref="Error"/>; nothing changed then).
/// </summary>
public sealed record ListImport(long Id, string ListSlug, string FileName, bool Confirmed, long TotalBytes, long ReadBytes,
    ListImportStatus Status, string? Error, long? ReadRows, long? Imported, long? Updated, long? Rejected, long? Suppressed,
    long? Unsubscribed, long? Duplicates, DateTime CreatedAt, DateTime? FinishedAt)
{
    public bool IsOver => Status is ListImportStatus.Done or ListImportStatus.Failed;

    public ImportSummary? Summary => Status == ListImportStatus.Done
        ? new ImportSummary(ReadRows ?? 0, Imported ?? 0, Updated ?? 0, Rejected ?? 0, Suppressed ?? 0, Unsubscribed ?? 0, Duplicates ?? 0)
        : null;
}
