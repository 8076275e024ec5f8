namespace Newsletter.Benchmarks;

/// <summary>
/// The process's resident set from /proc/self/status, which counts native memory the GC does not see.
/// </summary>
public static class ResidentMemory
{
    /// <summary>The high-water mark (VmHWM).</summary>
    public static double PeakMegabytes() => Megabytes("VmHWM");

    /// <summary>The size now (VmRSS).</summary>
    public static double CurrentMegabytes() => Megabytes("VmRSS");

    private static double Megabytes(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0]) / 1024.0;
        }
        throw new InvalidOperationException($"/proc/self/status has no {field} line.");
    }
}
