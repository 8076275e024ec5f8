namespace Newsletter.Benchmarks;

/// <summary>
/// The process's resident set from /proc/self/status, which counts native memory the GC does not see:
/// its high-water mark (VmHWM) or its size now (VmRSS).
/// </summary>
public static class PeakMemory
{
    public static double Megabytes(string field = "VmHWM")
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0]) / 1024.0;
        }
        throw new InvalidOperationException($"/proc/self/status has no {field} line.");
    }
}
