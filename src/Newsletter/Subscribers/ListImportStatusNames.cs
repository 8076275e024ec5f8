namespace Newsletter.Subscribers;

/// <summary>The words <c>list_imports.status</c> holds, which the author's pages show and their progress JSON carries.</summary>
public static class ListImportStatusNames
{
    public static string Name(this ListImportStatus status) => status switch
    {
        ListImportStatus.Queued => "queued",
        ListImportStatus.Running => "running",
        ListImportStatus.Done => "done",
        ListImportStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
