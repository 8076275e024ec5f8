using System.Globalization;
using System.Text.Json;
using Newsletter.SmtpSink;

namespace Newsletter.Benchmarks;

/// <summary>
/// <c>sink</c>: the fast sink alone, for a while, so that another program can drive it; reports what it
/// accepted and at what rate, which shows how much headroom it leaves the sender it measures. With
/// <c>--control on</c> it is <see cref="SinkProcess"/>'s child: it prints its port, then answers
/// <c>reset</c>, <c>accepted</c>, <c>stats PREFIX</c> and <c>counts PREFIX</c> lines on standard input until that
/// closes.
/// </summary>
public static class SinkScenario
{
    public static async Task<BenchReport> RunAsync(BenchArguments arguments)
    {
        var seconds = arguments.Int("seconds");
        await using var sink = new FastSmtpSink(arguments.OptionalInt("port") ?? 2526);
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

    public static async Task ServeAsync(BenchArguments arguments)
    {
        await using var sink = new FastSmtpSink(arguments.OptionalInt("port") ?? 0);
        var output = Console.Out;
        await output.WriteLineAsync($"port {sink.Port}");
        await output.FlushAsync();
        while (await Console.In.ReadLineAsync() is { } command)
        {
            if (command == "reset")
            {
                sink.Reset();
                await output.WriteLineAsync("ok");
            }
            else if (command == "accepted")
            {
                await output.WriteLineAsync(sink.Accepted.ToString(CultureInfo.InvariantCulture));
            }
            else if (command.StartsWith("stats ", StringComparison.Ordinal))
            {
                var prefix = command["stats ".Length..];
                await output.WriteLineAsync(JsonSerializer.Serialize(new SinkStats(
                    sink.Accepted, sink.FirstAcceptedAt, sink.LastAcceptedAt,
                    sink.MessageIds.Keys.Count(id => id.StartsWith(prefix, StringComparison.Ordinal)),
                    sink.MessageIds.Count, sink.Duplicates)));
            }
            else if (command.StartsWith("counts ", StringComparison.Ordinal))
            {
                var prefix = command["counts ".Length..];
                await output.WriteLineAsync(JsonSerializer.Serialize(
                    sink.MessageIds.Where(pair => pair.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary()));
            }
            else
            {
                await output.WriteLineAsync($"error unknown command '{command}'");
            }
            await output.FlushAsync();
        }
    }
}
