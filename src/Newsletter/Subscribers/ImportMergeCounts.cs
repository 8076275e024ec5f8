namespace Newsletter.Subscribers;

/// <summary>The outcome of the merge step of an import, by row of the staging table.</summary>
public sealed record ImportMergeCounts(long Staged, long Imported, long Updated, long Suppressed, long Unsubscribed);
