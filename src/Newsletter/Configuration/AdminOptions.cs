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
}
