namespace Newsletter.Benchmarks;

/// <summary>
/// Throughput and scale harness (issue 6). Reports figures, never passes or fails on them. The last line
/// of every scenario is one JSON object, so scripts can collect runs.
/// </summary>
public static class Program
{
    public static Task<int> Main(string[] args) => BenchCommands.Create().Parse(args).InvokeAsync();
}
