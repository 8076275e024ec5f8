using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Issues;
using Newsletter.Rendering;
using Newsletter.Sending;

namespace Newsletter.Benchmarks;

/// <summary>
/// <c>crash</c>: one send through real <c>serve</c> processes, each killed with SIGKILL at a random moment once
/// it is sending, and the next started at once, as a supervisor would; after the last kill a process finishes the
/// send. Counts what each kill cost against the fast sink's copies per recipient and the ledger's sent rows.
/// </summary>
public static class CrashBenchmark
{
    /// <summary>The bound a kill's duplicates are held to: the connections' messages in flight, and this long of sending.</summary>
    private const double BoundSeconds = 0.010;

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    public static async Task<BenchReport> RunAsync(BenchArguments arguments)
    {
        var recipients = arguments.Int("recipients");
        var kills = arguments.Int("kills");
        var connections = arguments.Int("connections");
        var leaseSeconds = arguments.Int("lease-seconds");
        var seed = arguments.OptionalInt("seed") ?? Random.Shared.Next();
        var random = new Random(seed);

        await using var database = await BenchDatabase.CreateAsync();
        await using var sink = await SinkProcess.StartAsync();
        await using var control = await BenchApp.PrepareAsync(database);
        await BenchApp.SeedAsync(database, recipients);
        var issue = await control.Services.GetRequiredService<IssueLibrary>()
            .AddIssueAsync(Path.Combine(TemplateDirectory.Locate(), "sample-issue.md"));
        var sends = control.Services.GetRequiredService<SendStore>();
        var sendId = (await control.Services.GetRequiredService<SendScheduler>().ScheduleAsync(issue.Id, ["bench"], at: null)).Id;
        var settings = ServeSettings(database, sink.Port, connections, leaseSeconds);
        // Outside the run's folder, which goes with the database: what the processes said outlives the run.
        var log = Path.Combine(Path.GetTempPath(), $"newsletter-crash-{seed}.log");
        File.Delete(log);
        Console.Error.WriteLine($"seed {seed}; serve output in {log}");

        var lives = new List<Life>();
        var snapshots = new List<CrashSnapshot> { CrashSnapshot.Empty };
        var finishedEarly = false;
        while (lives.Count < kills)
        {
            await using var server = ServeProcess.Start(database.Root, settings, log);
            var started = Stopwatch.StartNew();
            if (!await WaitForSendingAsync(sink, snapshots[^1].Accepted, sends, sendId, server, log))
            {
                finishedEarly = true;
                break;
            }
            var resumedAfter = started.Elapsed;
            var sending = Stopwatch.StartNew();
            var acceptedAtResume = await sink.AcceptedAsync();
            // A random point of the process's sending, between its first message and an equal share of what is
            // left (the last process keeps a share): drawn in messages, which a process's warm-up cannot stretch.
            var share = (recipients - snapshots[^1].Distinct) / (double)(kills - lives.Count + 1);
            await WaitForAcceptedAsync(sink, acceptedAtResume + (long)(random.NextDouble() * share), server, log);
            await server.KillAsync();
            var lived = sending.Elapsed;
            var snapshot = await CrashSnapshot.TakeAsync(sink, database, sendId);
            lives.Add(new Life(resumedAfter, lived, snapshot.Accepted - acceptedAtResume));
            snapshots.Add(snapshot);
            Console.Error.WriteLine($"kill {lives.Count} at {DateTime.Now:HH:mm:ss.fff}: after {lived.TotalSeconds:0.000} s of sending; {snapshot.Distinct:#,0} recipients have a copy");
        }

        var finishing = Stopwatch.StartNew();
        double? lastRate = null;
        await using (var server = ServeProcess.Start(database.Root, settings, log))
        {
            if (await WaitForSendingAsync(sink, snapshots[^1].Accepted, sends, sendId, server, log))
            {
                var (sending, accepted) = (Stopwatch.StartNew(), await sink.AcceptedAsync());
                await WaitForFinishAsync(sends, sendId, server, log);
                lastRate = (await sink.AcceptedAsync() - accepted) / sending.Elapsed.TotalSeconds;
            }
        }
        var end = await CrashSnapshot.TakeAsync(sink, database, sendId);
        Console.Error.WriteLine($"finished at {DateTime.Now:HH:mm:ss.fff}, {finishing.Elapsed.TotalSeconds:0.0} s after the last start");

        // No kill, no rate: the bound is then the connections alone.
        var measuredRate = lives.Count == 0 ? 0 : lives.Sum(l => l.Accepted) / lives.Sum(l => l.Sending.TotalSeconds);
        var bound = connections + measuredRate * BoundSeconds;
        var caused = lives.Select((_, i) => CrashSnapshot.DuplicatesCaused(snapshots[i], snapshots[i + 1], end)).ToList();
        PrintTable(Console.Out, lives, snapshots, caused, bound);
        var lost = recipients - end.Distinct;
        var over = caused.Count(d => d > bound);
        var (min, median, max) = caused.Count == 0 ? (0L, 0.0, 0L) : (caused.Min(), Median(caused), caused.Max());
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"crash: {lives.Count} kills of one {recipients:#,0}-recipient send: lost {lost}, duplicates per kill min {min} / median {median:0.#} / max {max} " +
            $"(total {end.Duplicates}), at {measuredRate:0} msg/s on {connections} connections; bound {connections} + {measuredRate * BoundSeconds:0.#} = {bound:0.#}, " +
            $"{over} of {lives.Count} kills over it"));

        return new BenchReport("crash")
            .Add("recipients", recipients)
            .Add("kills", lives.Count, finishedEarly ? "the send finished before every planned kill" : "")
            .Add("connections", connections)
            .Add("lease_seconds", leaseSeconds)
            .Add("seed", seed, "--seed for the same kill moments")
            .Add("msgs_per_s", measuredRate, "accepted by the sink while a process was sending, over the killed processes' sending time")
            .Add("last_msgs_per_s", lastRate, "the process that finished the send, first message to finish (none when nothing was left)")
            .Add("bound", bound, $"connections + messages in {BoundSeconds * 1000:0} ms at that rate")
            .Add("duplicates_min", min, "extra copies a kill caused: of the recipients it left unrecorded, copies sent again")
            .Add("duplicates_median", median)
            .Add("duplicates_max", max)
            .Add("kills_over_bound", over)
            .Add("duplicates_total", end.Duplicates, "extra copies the sink accepted, whole send")
            .Add("unattributed", end.Duplicates - caused.Sum(), "extra copies not explained by a kill (0 expected)")
            .Add("lost", lost, "recipients the sink never got a copy for")
            .Add("ledger_sent", end.Recorded.Count, "rows the ledger ends with as sent")
            .Add("resume_median_s", lives.Count == 0 ? null : Median(lives.Select(l => (long)l.ResumedAfter.TotalMilliseconds)) / 1000,
                "process start to its first message: start-up, then the dead process's lease and the recovery sweep")
            .Add("finish_s", finishing.Elapsed.TotalSeconds, "the last process's start to the send's finish");
    }

    private sealed record Life(TimeSpan ResumedAfter, TimeSpan Sending, long Accepted);

    private static Dictionary<string, string> ServeSettings(BenchDatabase database, int port, int connections, int leaseSeconds)
    {
        var settings = BenchApp.Settings(database).ToDictionary(pair => pair.Key, pair => pair.Value ?? "");
        settings["Newsletter:Smtp:Host"] = "127.0.0.1";
        settings["Newsletter:Smtp:Port"] = port.ToString(CultureInfo.InvariantCulture);
        settings["Newsletter:Smtp:PoolSize"] = connections.ToString(CultureInfo.InvariantCulture);
        settings["Newsletter:Jobs:Workers"] = Math.Max(10, connections + 2).ToString(CultureInfo.InvariantCulture);
        settings["Newsletter:Sending:LeaseSeconds"] = leaseSeconds.ToString(CultureInfo.InvariantCulture);
        settings["Newsletter:Rendering:TemplatesPath"] = TemplateDirectory.Locate();
        settings["Newsletter:Admin:Password"] = "crash-bench";
        settings["Logging:Console:TimestampFormat"] = "HH:mm:ss.fff ";
        return settings;
    }

    /// <summary>Until the sink takes a message beyond <paramref name="accepted"/>; false when the send finished first.</summary>
    private static async Task<bool> WaitForSendingAsync(
        SinkProcess sink, long accepted, SendStore sends, long sendId, ServeProcess server, string log)
    {
        var waited = Stopwatch.StartNew();
        for (var poll = 0; await sink.AcceptedAsync() <= accepted; poll++)
        {
            if (server.HasExited || waited.Elapsed > Patience)
                throw new InvalidOperationException($"serve {(server.HasExited ? "exited" : "sent nothing")} (see {log})");
            if (poll % 25 == 0 && (await sends.GetSendAsync(sendId))!.Status == SendStatus.Finished)
                return false;
            await Task.Delay(20);
        }
        return true;
    }

    private static async Task WaitForAcceptedAsync(SinkProcess sink, long accepted, ServeProcess server, string log)
    {
        var waited = Stopwatch.StartNew();
        while (await sink.AcceptedAsync() < accepted)
        {
            if (server.HasExited || waited.Elapsed > Patience)
                throw new InvalidOperationException($"serve {(server.HasExited ? "exited" : "stopped sending")} (see {log})");
            await Task.Delay(5);
        }
    }

    private static async Task WaitForFinishAsync(SendStore sends, long sendId, ServeProcess server, string log)
    {
        var waited = Stopwatch.StartNew();
        while ((await sends.GetSendAsync(sendId))!.Status != SendStatus.Finished)
        {
            if (server.HasExited || waited.Elapsed > Patience)
                throw new InvalidOperationException($"serve did not finish the send (see {log})");
            await Task.Delay(250);
        }
    }

    private static void PrintTable(TextWriter output, List<Life> lives, List<CrashSnapshot> snapshots, List<long> caused, double bound)
    {
        output.WriteLine();
        output.WriteLine("  kill  resumed_s  sending_s  accepted  recorded  unrecorded  duplicates");
        for (var i = 0; i < lives.Count; i++)
        {
            var (before, at) = (snapshots[i], snapshots[i + 1]);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {i + 1,4}  {lives[i].ResumedAfter.TotalSeconds,9:0.00}  {lives[i].Sending.TotalSeconds,9:0.000}  {at.Accepted - before.Accepted,8}  " +
                $"{at.Recorded.Count - before.Recorded.Count,8}  {at.UnrecordedSince(before),10}  {caused[i],10}{(caused[i] > bound ? "  over" : "")}"));
        }
        output.WriteLine("  resumed_s: start to first message; sending_s: first message to the kill; accepted and recorded: by the sink and");
        output.WriteLine("  the ledger since the kill before; unrecorded: copies since then the ledger did not know of at the kill; duplicates: of those, sent again.");
    }

    private static double Median(IEnumerable<long> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2.0;
    }
}
