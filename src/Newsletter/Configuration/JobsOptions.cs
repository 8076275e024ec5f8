using System.ComponentModel.DataAnnotations;

namespace Newsletter.Configuration;

/// <summary>The <c>Newsletter:Jobs</c> section: how many Hangfire workers this process runs.</summary>
public sealed class JobsOptions
{
    public const string Section = "Newsletter:Jobs";

    /// <summary>Workers for the default queue (send starts, schedules, housekeeping) and transactional mail; bulk batches have one worker per SMTP connection.</summary>
    [Range(1, 100)]
    public int Workers { get; set; } = 10;

    /// <summary>Workers that serve only the transactional queue (confirmations, test sends).</summary>
    [Range(1, 20)]
    public int TransactionalWorkers { get; set; } = 2;
}
