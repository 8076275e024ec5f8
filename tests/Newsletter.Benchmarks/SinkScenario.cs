using Newsletter.SmtpSink;

namespace Newsletter.Benchmarks;

/// <summary>
/// <c>sink</c>: the fast sink alone, for a while, so that another program can drive it; reports what it
/// accepted and at what rate, which shows how much headroom it leaves the sender it measures.
/// </summary>
public static class SinkScenario
{
    public static async Task<BenchReport> RunAsync(BenchArguments arguments)
    {
        var seconds = arguments.Int("seconds", 30);
        await using var sink = new FastSmtpSink(arguments.Int("port", 2526));
        Console.Error.WriteLine($"fast sink on 127.0.0.1:{sink.Port} for {seconds} s");
        var cpuBefore = Environment.CpuUsage.TotalTime;
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var cpu = (Environment.CpuUsage.TotalTime - cpuBefore).TotalSeconds;
        var span = (sink.LastAcceptedAt - sink.FirstAcceptedAt)?.TotalSeconds ?? double.NaN;
        return new BenchReport("sink")
            .Add("accepted", sink.Accepted)
            .Add("duplicates", sink.Duplicates)
            .Add("msgs_per_s", sink.Accepted / span, "first to last accepted")
            .Add("cpu_s", cpu, "the sink process's CPU time over the whole window")
            .Add("msgs_per_cpu_s", sink.Accepted / cpu, "messages per second of one core");
    }
}
