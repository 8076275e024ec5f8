namespace Newsletter.Subscribers;

/// <summary>
/// The life of an import started from the author's pages: queued → running → done or failed. Stored as the
/// lower-case name (<see cref="ListImportStatusNames"/>); the statements that change it write the words themselves.
/// </summary>
public enum ListImportStatus
{
    Queued,
    Running,
    Done,
    Failed,
}
