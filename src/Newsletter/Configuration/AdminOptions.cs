using System.ComponentModel.DataAnnotations;

namespace Newsletter.Configuration;

/// <summary>The <c>Newsletter:Admin</c> section: who may open the admin UI and the Hangfire dashboard.</summary>
public sealed class AdminOptions
{
    public const string Section = "Newsletter:Admin";

    public string User { get; set; } = "admin";

    /// <summary>A hash made by <c>hash-password</c>; preferred over <see cref="Password"/>.</summary>
    public string? PasswordHash { get; set; }

    /// <summary>Plain password, meant to come from an environment variable only.</summary>
    public string? Password { get; set; }

    /// <summary>Read-only dashboard account for operations.</summary>
    public string OpsUser { get; set; } = "ops";

    public string? OpsPasswordHash { get; set; }

    public string? OpsPassword { get; set; }

    /// <summary>
    /// Sign-in attempts per minute from one client address; more are answered 429 before any password is
    /// hashed, so a flood neither guesses fast nor takes the CPU from sending.
    /// </summary>
    [Range(1, 10_000)]
    public int LoginAttemptsPerMinute { get; set; } = 10;

    /// <summary>Sign-in attempts per minute for one user name, from all addresses together (guessing from many).</summary>
    [Range(1, 10_000)]
    public int LoginAttemptsPerUserPerMinute { get; set; } = 30;
}
