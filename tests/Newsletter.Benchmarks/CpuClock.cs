namespace Newsletter.Benchmarks;

/// <summary>
/// CPU time spent so far by this process and by the PostgreSQL cluster (postmaster, its live backends and
/// the ones that already exited). Per message, it shows where a phase's cost goes even when the machine's
/// speed drifts between phases.
/// </summary>
public sealed class CpuClock(int postmasterPid)
{
    // USER_HZ, the unit of /proc/<pid>/stat's times: 100 on Linux (getconf CLK_TCK).
    private const double TicksPerSecond = 100.0;

    public (TimeSpan Process, TimeSpan Postgres) Now() =>
        (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime, TimeSpan.FromSeconds(PostgresTicks() / TicksPerSecond));

    private long PostgresTicks()
    {
        long ticks = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
                continue;
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue;
            }
            // Fields after the parenthesised command: state ppid … utime(14) stime(15) cutime(16) cstime(17).
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var parent = int.Parse(fields[1]);
            if (pid == postmasterPid)
                ticks += long.Parse(fields[11]) + long.Parse(fields[12]) + long.Parse(fields[13]) + long.Parse(fields[14]);
            else if (parent == postmasterPid)
                ticks += long.Parse(fields[11]) + long.Parse(fields[12]);
        }
        return ticks;
    }
}
