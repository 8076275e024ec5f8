namespace Newsletter.Benchmarks;

/// <summary>
/// One send of <see cref="SendUnderLoad"/>: what wrk measured (null for the send without load), the send's rate
/// over wrk's window and from its first message to its last, whether the send ended inside the window, the
/// server's and the machine's CPU over the window; messages the ledger marks sent that the sink never got
/// (lost), extra copies, and recipients neither sent nor skipped.
/// </summary>
public sealed record LoadPhase(
    string Endpoint, long SendId, WrkResult? Load, double WindowRate, double SendRate, bool EndedInWindow,
    double ServerCores, double MachineBusy, long Lost, long Duplicates, long Unfinished);
