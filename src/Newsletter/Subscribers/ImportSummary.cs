namespace Newsletter.Subscribers;

/// <summary>
/// What an import did. <see cref="Read"/> counts data rows (empty lines aside) and equals the sum of
/// the others. <see cref="Imported"/>: new on the list; <see cref="Updated"/>: already on it;
/// <see cref="Suppressed"/>: on the suppression list or unsubscribed from this list, left alone, or
/// marked in the file as bounced, complained or blocked and suppressed now; <see cref="Unsubscribed"/>:
/// marked in the file as gone, now unsubscribed from this list (never subscribed);
/// <see cref="Duplicates"/>: repeats of an address earlier in the file (any case; the last row wins).
/// </summary>
public sealed record ImportSummary(long Read, long Imported, long Updated, long Rejected, long Suppressed, long Unsubscribed, long Duplicates)
{
    public override string ToString() =>
        $"read {Read}, imported {Imported}, updated {Updated}, rejected {Rejected}, suppressed {Suppressed}, unsubscribed {Unsubscribed}, duplicates {Duplicates}";
}
