using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;

namespace Newsletter.Operations;

/// <summary>
/// Checks operator logins against configuration. With no admin password configured, the first start
/// generates one, prints it once and keeps only its hash in the data folder.
/// </summary>
public sealed class OperatorCredentials(IOptions<AdminOptions> admin, IOptions<NewsletterOptions> newsletter)
{
    private static readonly PasswordHasher<string> Hasher = new();

    // Checked when the user name is unknown, so a wrong name costs the same hash as a wrong password
    // and timing does not tell which user names exist.
    private static readonly string UnknownUserHash = Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)));
    private string? _generatedAdminHash;

    /// <summary>Path of the hash kept for a generated admin password.</summary>
    public string GeneratedHashPath => Path.Combine(Path.GetFullPath(newsletter.Value.DataDirectory), "admin-password.hash");

    /// <summary>Makes sure an admin can log in; returns a newly generated password to print, else null.</summary>
    public string? EnsureAdminPassword()
    {
        var options = admin.Value;
        if (!string.IsNullOrEmpty(options.PasswordHash) || !string.IsNullOrEmpty(options.Password))
            return null;
        if (File.Exists(GeneratedHashPath))
        {
            _generatedAdminHash = File.ReadAllText(GeneratedHashPath).Trim();
            return null;
        }

        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('/', '-').Replace('+', '_');
        _generatedAdminHash = Hash(password);
        Directory.CreateDirectory(Path.GetDirectoryName(GeneratedHashPath)!);
        File.WriteAllText(GeneratedHashPath, _generatedAdminHash);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(GeneratedHashPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return password;
    }

    /// <summary>The role of a valid login, or null.</summary>
    public string? RoleOf(string user, string password)
    {
        var options = admin.Value;
        if (user == options.User && Matches(password, options.PasswordHash ?? _generatedAdminHash, options.Password))
            return Roles.Admin;
        if (user == options.OpsUser && Matches(password, options.OpsPasswordHash, options.OpsPassword))
            return Roles.Ops;
        if (user != options.User && user != options.OpsUser)
            Hasher.VerifyHashedPassword("", UnknownUserHash, password);
        return null;
    }

    /// <summary>A hash to put in configuration instead of a plain password.</summary>
    public static string Hash(string password) => Hasher.HashPassword("", password);

    private static bool Matches(string password, string? hash, string? plain)
    {
        if (!string.IsNullOrEmpty(hash))
            return Hasher.VerifyHashedPassword("", hash, password) != PasswordVerificationResult.Failed;
        return !string.IsNullOrEmpty(plain) &&
            CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.UTF8.GetBytes(password), System.Text.Encoding.UTF8.GetBytes(plain));
    }
}
