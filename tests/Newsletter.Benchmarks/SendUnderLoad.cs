using System.Diagnostics;
using Newsletter.Sending;

namespace Newsletter.Benchmarks;

/// <summary>
/// One send of the whole list by the server child, with one endpoint under wrk, or none, for a window in the
/// send's steady middle. The window opens once a fiftieth of the list has been accepted (the send runs at its
/// pace by then), and the send's rate is the sink's count over the window, so that loaded and unloaded sends
/// are timed alike.
/// </summary>
public sealed class SendUnderLoad(
    BenchDatabase database, SendScheduler scheduler, SendStore sends, SinkProcess sink, ServerChild server, long issueId, int recipients,
    int threads, int connections, int seconds)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    public async Task<LoadPhase> RunAsync(LoadTarget? target)
    {
        await sink.ResetAsync();
        // Scheduled ahead, as an author would: the server renders and freezes before the moment.
        var at = DateTime.UtcNow.AddSeconds(3 + recipients / 100_000);
        var send = await scheduler.ScheduleAsync(issueId, ["bench"], at, resend: ResendMode.All);
        var steady = Math.Max(1, recipients / 50);
        var waited = Stopwatch.StartNew();
        while (await sink.AcceptedAsync() < steady)
        {
            if (waited.Elapsed > Patience)
                throw new InvalidOperationException($"Send {send.Id}: fewer than {steady:#,0} messages after {Patience.TotalMinutes} minutes. The server said:\n{server.Tail()}");
            await Task.Delay(20);
        }

        var acceptedFrom = await sink.AcceptedAsync();
        var from = DateTime.UtcNow;
        var serverFrom = server.CpuTime;
        var machineFrom = MachineJiffies();
        WrkResult? load = null;
        if (target is null)
            await Task.Delay(TimeSpan.FromSeconds(seconds));
        else
            load = await Wrk.RunAsync(new Uri(server.BaseAddress, target.Path), threads, connections, seconds, target.Script, target.ScriptArguments);
        var acceptedTo = await sink.AcceptedAsync();
        var to = DateTime.UtcNow;
        var serverCores = (server.CpuTime - serverFrom).TotalSeconds / (to - from).TotalSeconds;
        var machineTo = MachineJiffies();
        var machineBusy = (double)(machineTo.Busy - machineFrom.Busy) / (machineTo.Total - machineFrom.Total);

        await SendWatch.WaitForFinishAsync(sends, send.Id, sink, null, 0);
        var stats = await sink.StatsAsync($"send{send.Id}.");
        var sent = await database.ExecuteScalarAsync("SELECT count(*) FROM deliveries WHERE send_id = @id AND status = 'sent'", ("id", send.Id));
        var unfinished = await database.ExecuteScalarAsync(
            "SELECT count(*) FROM deliveries WHERE send_id = @id AND status NOT IN ('sent', 'skipped')", ("id", send.Id));
        // A list sent faster than the window (a small one) stopped before wrk did: its rate runs to its last message.
        var end = stats.LastAcceptedAt is { } last && last < to ? last : to;
        return new LoadPhase(target?.Name ?? "none", send.Id, load, (acceptedTo - acceptedFrom) / (end - from).TotalSeconds,
            stats.Rate, end < to, serverCores, machineBusy, sent - stats.Distinct, stats.Duplicates, unfinished);
    }

    /// <summary>The machine's CPU time, busy and in all, from /proc/stat's first line (jiffies).</summary>
    private static (long Busy, long Total) MachineJiffies()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        // user nice system idle iowait irq softirq steal …: idle and iowait are the idle ones.
        var total = fields.Take(8).Sum();
        return (total - fields[3] - fields[4], total);
    }
}
