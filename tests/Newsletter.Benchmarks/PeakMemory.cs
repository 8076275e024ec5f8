namespace Newsletter.Benchmarks;

/// <summary>The process's resident set high-water mark (VmHWM), which counts native memory the GC does not see.</summary>
public static class PeakMemory
{
    public static double Megabytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line[6..].Trim().Split(' ')[0]) / 1024.0;
        }
        throw new InvalidOperationException("/proc/self/status has no VmHWM line.");
    }
}
