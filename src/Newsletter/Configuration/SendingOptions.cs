using System.ComponentModel.DataAnnotations;

namespace Newsletter.Configuration;

/// <summary>The <c>Newsletter:Sending</c> section: how batches are claimed, retried and given up on.</summary>
public sealed class SendingOptions
{
    public const string Section = "Newsletter:Sending";

    /// <summary>Recipients claimed at a time by a batch job.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// The audience is written into the ledger by this many connections at once, one range of subscriber
    /// ids each: one INSERT … SELECT uses one core of the database server. 1,000,000 recipients on 2 cores:
    /// 4.1–5.3 s in one part, 2.4–2.9 s in two, 3.5 s in four.
    /// </summary>
    [Range(1, 32)]
    public int FreezeParts { get; set; } = 2;

    /// <summary>
    /// A batch job claims batch after batch on its connection for about this long, then hands over to a
    /// fresh job, which is when other sends waiting for a worker get their turn.
    /// </summary>
    [Range(0, 3600)]
    public int BatchJobSeconds { get; set; } = 30;

    /// <summary>
    /// The outcome writer starts a flush at most this often (and as soon as the last one ends, when that
    /// took longer): what a crash can resend is what the relay accepted within about this long.
    /// </summary>
    [Range(0, 1_000)]
    public int OutcomeFlushMilliseconds { get; set; } = 5;

    /// <summary>
    /// How long claimed rows stay claimed without news from their batch. Recovery sweeps every minute, or every
    /// lease when shorter, so a dead batch's rows are sent again within about two leases.
    /// </summary>
    [Range(5, 3600)]
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>Attempts per recipient before a temporary failure (4xx) becomes permanent.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>First retry delay after a 4xx; doubled for each further attempt.</summary>
    [Range(1, 86_400)]
    public int RetryBaseSeconds { get; set; } = 60;

    /// <summary>The send pauses itself after this many failures in a row.</summary>
    [Range(1, 100_000)]
    public int PauseAfterConsecutiveFailures { get; set; } = 50;
}
