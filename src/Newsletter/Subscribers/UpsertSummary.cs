namespace Newsletter.Subscribers;

/// <summary>
/// What an upsert did: the subscribers added (<see cref="Created"/>) and updated, by address (lower case) and id; the
/// addresses left alone because they are suppressed or erased; and how many confirmation mails were queued.
/// </summary>
public sealed record UpsertSummary(IReadOnlyDictionary<string, long> Ids, int Created, int Updated, IReadOnlyList<string> Suppressed,
    int ConfirmationsQueued);
