namespace Newsletter.Storage;

/// <summary>Finds the machine's PostgreSQL server programs: first on PATH, then under /usr/lib/postgresql.</summary>
public static class PostgresBinaries
{
    private static readonly string[] Required = ["initdb", "pg_ctl", "postgres"];

    /// <summary>The folder holding initdb, pg_ctl and postgres.</summary>
    /// <exception cref="StartupException">No such folder exists.</exception>
    public static string Locate(string? searchPath = null, string versionedRoot = "/usr/lib/postgresql")
    {
        var candidates = (searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(Directory.Exists(versionedRoot)
                ? Directory.GetDirectories(versionedRoot).OrderByDescending(VersionOf).Select(d => Path.Combine(d, "bin"))
                : []);

        return candidates.FirstOrDefault(dir => Required.All(name => File.Exists(Path.Combine(dir, name))))
            ?? throw new StartupException(
                "No PostgreSQL server programs were found (initdb, pg_ctl and postgres, looked for on PATH and " +
                $"under {versionedRoot}/*/bin). Newsletter keeps its subscribers and jobs in PostgreSQL. Either " +
                "install the server (on Debian: apt-get install postgresql) so a private cluster can be started " +
                "under the data folder, or point ConnectionStrings:Newsletter (environment variable " +
                "ConnectionStrings__Newsletter) at an existing PostgreSQL 13+ database.");
    }

    private static int VersionOf(string dir) => int.TryParse(Path.GetFileName(dir), out var v) ? v : 0;
}
