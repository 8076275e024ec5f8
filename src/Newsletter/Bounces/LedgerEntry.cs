namespace Newsletter.Bounces;

/// <summary>A delivery's row in the ledger as a bounce is checked against it: the address it went to (blank once erased) and its status.</summary>
public sealed record LedgerEntry(string Email, string Status);
