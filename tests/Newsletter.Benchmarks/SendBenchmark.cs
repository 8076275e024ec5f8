using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MailKit.Net.Smtp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;
using Newsletter.Issues;
using Newsletter.Mail;
using Newsletter.Rendering;
using Newsletter.Sending;
using Newsletter.Subscribers;

namespace Newsletter.Benchmarks;

/// <summary>
/// <c>send</c>: the real pipeline (Hangfire server, PostgreSQL ledger, SMTP pool, personalisation,
/// DKIM as chosen) to N seeded subscribers, then in the same run the raw ceiling to the same sink.
/// </summary>
public static class SendBenchmark
{
    public static async Task<BenchReport> RunAsync(BenchArguments arguments)
    {
        var recipients = arguments.Int("recipients");
        var connections = arguments.Int("connections");
        var sinkKind = arguments.Text("sink");
        var dkimOn = arguments.Switch("dkim");
        var ceilingRecipients = arguments.OptionalInt("ceiling-recipients") ?? Math.Min(recipients, 100_000);
        // The plain MailKit loop is a reference, not the ceiling: shorter, as MimeKit's DKIM signer makes it slow.
        var plainRecipients = arguments.OptionalInt("plain-recipients") ?? Math.Min(ceilingRecipients, 5_000);
        // For lists too large to send in full here: freeze all of them, send this many, then cancel.
        var stopAfter = arguments.Int("stop-after");
        // A short send through the pipeline (and a short ceiling loop) before the measured ones: both are
        // measured in a process that has JIT-compiled its code, as a long-running server has.
        var warmup = Math.Min(arguments.Int("warmup"), recipients);
        var roundCount = arguments.Int("rounds");
        var leadSeconds = arguments.OptionalInt("lead-seconds") ?? 3 + recipients / 100_000;

        await using var database = await BenchDatabase.CreateAsync();
        await using var sink = sinkKind == "fast" ? await SinkProcess.StartAsync() : null;
        var port = sink?.Port ?? arguments.Int("port");
        var postfix = sink is null ? new PostfixLog(arguments.Text("maillog")) : null;

        var settings = new Dictionary<string, string?>
        {
            ["Newsletter:Smtp:Host"] = "127.0.0.1",
            ["Newsletter:Smtp:Port"] = port.ToString(),
            ["Newsletter:Smtp:PoolSize"] = connections.ToString(),
            // One worker per batch chain, plus room for the start job and recovery.
            ["Newsletter:Jobs:Workers"] = Math.Max(10, connections + 2).ToString(),
        };
        DkimOptions? dkimOptions = null;
        if (dkimOn)
        {
            dkimOptions = new DkimOptions { Domain = "news.example.com", Selector = "bench", PrivateKeyPath = WriteKey(database.Root) };
            settings["Newsletter:Dkim:Domain"] = dkimOptions.Domain;
            settings["Newsletter:Dkim:Selector"] = dkimOptions.Selector;
            settings["Newsletter:Dkim:PrivateKeyPath"] = dkimOptions.PrivateKeyPath;
        }

        await using var app = await BenchApp.StartAsync(database, runJobs: true, settings);
        var seeding = Stopwatch.StartNew();
        var listId = await BenchApp.SeedAsync(database, recipients);
        var seedSeconds = seeding.Elapsed.TotalSeconds;
        Console.Error.WriteLine($"seeded {recipients:#,0} confirmed subscribers in {seedSeconds:0.0} s");

        var scheduler = app.Services.GetRequiredService<SendScheduler>();
        var sends = app.Services.GetRequiredService<SendStore>();
        var issue = await app.Services.GetRequiredService<IssueLibrary>().AddIssueAsync(Path.Combine(TemplateDirectory.Locate(), "sample-issue.md"));
        var cpu = new CpuClock(database.PostmasterPid);
        // The app's builder signs when DKIM is on, as in a send; the plain loop signs with MimeKit's own signer.
        var builder = app.Services.GetRequiredService<IssueMessageBuilder>();
        var links = app.Services.GetRequiredService<SubscriptionLinks>();
        var publicUrl = app.Services.GetRequiredService<IOptions<NewsletterOptions>>().Value.PublicUrl;
        CeilingLoop CeilingFor(long sendId, SendContent content) =>
            CeilingLoop.Engine(new DeliveryMessageFactory(sendId, content, builder, links, publicUrl), listId);

        CeilingRun? ceilingBefore = null;
        if (warmup > 0)
        {
            await BenchApp.SeedWarmupListAsync(database, warmup);
            var warming = Stopwatch.StartNew();
            var warm = await scheduler.ScheduleAsync(issue.Id, ["warmup"], null);
            await SendWatch.WaitForFinishAsync(sends, warm.Id, sink, null, 0);
            Console.Error.WriteLine($"warm-up: {warmup:#,0} messages through the pipeline in {warming.Elapsed.TotalSeconds:0.0} s");
            // The machine's speed drifts over minutes (shared host): the ceiling is measured on both sides of
            // the pipeline and averaged. This first one runs while the job server idles, after a warm-up of
            // its own (the loop's code is not the pipeline's).
            var warmCeiling = CeilingFor(warm.Id, await sends.GetContentAsync(warm.Id));
            await warmCeiling.RunAsync("127.0.0.1", port, connections, warmup);
            ceilingBefore = await RunCeilingAsync(warmCeiling, sink, port, connections, ceilingRecipients, cpu);
        }
        // With --rounds R the list is sent R times, each send between two ceiling runs; the figures are the
        // rounds' medians, steadier than one round's on a machine whose speed drifts.
        var rounds = new List<SendRound>();
        var ceilings = new List<CeilingRun>();
        if (ceilingBefore is not null)
            ceilings.Add(ceilingBefore);
        for (var round = 1; round <= roundCount; round++)
        {
            if (roundCount > 1)
                Console.Error.WriteLine($"round {round} of {roundCount}");
            rounds.Add(await SendOnceAsync(database, scheduler, sends, sink, postfix, issue.Id, recipients, stopAfter, leadSeconds, cpu));
            Console.Error.WriteLine($"round {round}: RSS {ResidentMemory.CurrentMegabytes():0.0} MB, peak {ResidentMemory.PeakMegabytes():0.0} MB, " +
                $"managed heap {GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0:0.0} MB");
            if (round < roundCount)
                ceilings.Add(await RunCeilingAsync(CeilingFor(rounds[^1].SendId, await sends.GetContentAsync(rounds[^1].SendId)),
                    sink, port, connections, ceilingRecipients, cpu));
        }
        var peakRss = ResidentMemory.PeakMegabytes();
        var heap = GC.GetGCMemoryInfo();
        // What survives a full collection is what the process holds; the rest of the peak was garbage.
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var liveHeap = GC.GetGCMemoryInfo().HeapSizeBytes;

        // The last ceiling runs with the app's services but without its jobs, so nothing else competes.
        var last = rounds[^1];
        var content = await sends.GetContentAsync(last.SendId);
        var ceiling = CeilingFor(last.SendId, content);
        await app.StopAsync();
        var messageBytes = await MessageBytesAsync(ceiling);
        var ceilingAfter = await RunCeilingAsync(ceiling, sink, port, connections, ceilingRecipients, cpu);
        ceilings.Add(ceilingAfter);
        CeilingRun? plain = null;
        if (plainRecipients > 0)
        {
            var unsigned = new IssueMessageBuilder(app.Services.GetRequiredService<IOptions<NewsletterOptions>>().Value);
            var engine = new DeliveryMessageFactory(last.SendId, content, unsigned, links, publicUrl);
            var plainLoop = new CeilingLoop(new PlainMessages(engine, content, unsigned, dkimOptions, listId).Build, () => new SmtpClient());
            await plainLoop.RunAsync("127.0.0.1", port, connections, Math.Min(1_000, plainRecipients));
            plain = await RunCeilingAsync(plainLoop, sink, port, connections, plainRecipients, cpu, "plain MailKit messages");
        }
        // Each round against the mean of the ceilings on either side of it.
        var ceilingBeside = rounds.Select((_, i) => ceilingBefore is null
            ? (Rate: ceilings[i].Rate, Cpu: ceilings[i].Cpu)
            : (Rate: (ceilings[i].Rate + ceilings[i + 1].Rate) / 2, Cpu: (ceilings[i].Cpu + ceilings[i + 1].Cpu) / 2)).ToList();
        var ratios = rounds.Select((r, i) => r.Rate / ceilingBeside[i].Rate).ToList();
        var pipelineRate = Median(rounds.Select(r => r.Rate));
        var ceilingFailed = ceilings.Sum(c => c.Failed) + (plain?.Failed ?? 0);
        long? lost = stopAfter > 0 || rounds.Any(r => r.Lost is null) ? null : rounds.Sum(r => r.Lost!.Value);
        long? duplicates = rounds.Any(r => r.Duplicates is null) ? null : rounds.Sum(r => r.Duplicates!.Value);

        var report = new BenchReport("send")
            .Add("recipients", recipients)
            .Add("connections", connections)
            .Add("sink", sinkKind)
            .Add("dkim", dkimOn ? "on" : "off")
            .Add("rounds", roundCount, "sends of the list, each between two ceiling runs; figures are medians")
            .Add("message_bytes", messageBytes, "one recipient's message as sent")
            .Add("html_bytes", Encoding.UTF8.GetByteCount(content.HtmlBody), "rendered HTML, tokens unfilled")
            .Add("pipeline_msgs_per_s", pipelineRate, "first to last message accepted")
            .Add("ceiling_msgs_per_s", Median(ceilingBeside.Select(c => c.Rate)), ceilingBefore is null
                ? $"the engine's messages in a loop without database or jobs, {ceilingRecipients:#,0} after the pipeline"
                : $"the engine's messages in a loop without database or jobs, {ceilingRecipients:#,0} before and after each send, mean of the two")
            .Add("ceiling_before_msgs_per_s", ceilingBefore?.Rate)
            .Add("ceiling_after_msgs_per_s", ceilingAfter.Rate)
            .Add("ratio", Median(ratios), "pipeline / ceiling")
            .Add("ratios", string.Join(" ", ratios.Select(r => r.ToString("0.000", CultureInfo.InvariantCulture))), "each round's")
            .Add("plain_loop_msgs_per_s", plain?.Rate, $"{plainRecipients:#,0} plain MailKit messages: strings, MimeKit's encoders and DKIM signer, DATA")
            .Add("pipeline_over_plain_loop", pipelineRate / plain?.Rate)
            .Add("plain_loop_cpu_us_per_msg", plain?.Cpu)
            .Add("pipeline_cpu_us_per_msg", Median(rounds.Select(r => r.Cpu.Process)), "this process's CPU time per message, scheduled moment to finish")
            .Add("pipeline_pg_cpu_us_per_msg", Median(rounds.Select(r => r.Cpu.Postgres)), "PostgreSQL's")
            .Add("ceiling_cpu_us_per_msg", Median(ceilingBeside.Select(c => c.Cpu)), "this process's CPU time per message in the ceiling loop")
            .Add("pipeline_alloc_kb_per_msg", Median(rounds.Select(r => r.AllocatedKb)), "managed memory allocated per message, scheduled moment to finish")
            .Add("ceiling_alloc_kb_per_msg", ceilingAfter.AllocatedKb, "the same in the ceiling loop after the pipeline")
            .Add("peak_rss_mb", peakRss, "VmHWM after the pipeline, before the last ceiling")
            .Add("gc", System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")
            .Add("gc_heap_mb", heap.HeapSizeBytes / 1048576.0, "managed heap after the pipeline, garbage included")
            .Add("gc_committed_mb", heap.TotalCommittedBytes / 1048576.0)
            .Add("live_heap_mb", liveHeap / 1048576.0, "managed heap after a full, compacting collection")
            .Add("freeze_s", Max(rounds.Select(r => r.Freeze)), "sends.prepared_at to frozen_at: the audience's parts (Sending:FreezeParts), in the database's clock; slowest round")
            .Add("first_message_s", Max(rounds.Select(r => r.FirstMessage)), "scheduled moment to first message accepted; slowest round")
            .Add("send_total_s", Median(rounds.Select(r => r.Total ?? double.NaN)), "scheduled moment to status finished")
            .Add("lost", lost, "recipients whose Message-ID never arrived, all rounds")
            .Add("duplicates", duplicates, "Message-IDs accepted more than once, extra copies, all rounds")
            .Add("ceiling_failed", ceilingFailed)
            .Add("seed_s", seedSeconds)
            .Add("warmup", warmup, "messages through the pipeline and the ceiling loop before they are measured (JIT warm-up)");
        if (stopAfter > 0)
            report.Add("stopped_after", last.SentBeforeStop, "sent before the send was cancelled on purpose (last round); lost not counted");
        return report;
    }

    private sealed record CeilingRun(double Rate, double Cpu, double AllocatedKb, long Failed);

    private sealed record SendRound(
        long SendId, double Rate, (double Process, double Postgres) Cpu, double AllocatedKb, double? Freeze,
        double? FirstMessage, double? Total, long? Lost, long? Duplicates, long SentBeforeStop);

    /// <summary>One send of the whole list through the pipeline, scheduled a few seconds ahead as an author would.</summary>
    private static async Task<SendRound> SendOnceAsync(
        BenchDatabase database, SendScheduler scheduler, SendStore sends, SinkProcess? sink, PostfixLog? postfix,
        long issueId, int recipients, int stopAfter, int leadSeconds, CpuClock cpu)
    {
        if (sink is not null)
            await sink.ResetAsync();
        postfix?.Mark();
        // The issue is rendered and the audience frozen in the moments before the send's time (about 5 s
        // for 1,000,000), so the first message leaves at that moment.
        var at = DateTime.UtcNow.AddSeconds(leadSeconds);
        var send = await scheduler.ScheduleAsync(issueId, ["bench"], at, resend: ResendMode.All);
        // Nothing to watch before the moment: the server renders and freezes on its own.
        if (at - DateTime.UtcNow is var untilMoment && untilMoment > TimeSpan.Zero)
            await Task.Delay(untilMoment);
        var cpuAtMoment = cpu.Now();
        var allocatedAtMoment = GC.GetTotalAllocatedBytes();
        var freeze = await SendWatch.WaitForFinishAsync(sends, send.Id, sink, stopAfter > 0 ? () => scheduler.CancelAsync(send.Id) : null, stopAfter);
        var cpuAtFinish = cpu.Now();
        var allocated = GC.GetTotalAllocatedBytes() - allocatedAtMoment;
        var received = sink is null ? null : await sink.StatsAsync($"send{send.Id}.");
        var messages = stopAfter > 0 ? received!.AllDistinct : recipients;
        var done = (await sends.GetSendAsync(send.Id))!;
        var (rate, firstMessage, lost, duplicates) = received is not null
            ? (received.Rate, (received.FirstAcceptedAt - at)?.TotalSeconds, recipients - received.Distinct, received.Duplicates)
            : await FromDatabaseAndLogAsync(database, postfix!, send.Id, recipients, at, done);
        return new SendRound(send.Id, rate, CpuPerMessage(cpuAtMoment, cpuAtFinish, messages), allocated / 1024.0 / messages,
            freeze, firstMessage, (done.FinishedAt - at)?.TotalSeconds, lost, duplicates, received?.AllDistinct ?? 0);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static double? Max(IEnumerable<double?> values) => values.Any(v => v is null) ? null : values.Max();

    private static async Task<CeilingRun> RunCeilingAsync(
        CeilingLoop ceiling, SinkProcess? sink, int port, int connections, int recipients, CpuClock cpu, string what = "ceiling")
    {
        if (sink is not null)
            await sink.ResetAsync();
        Console.Error.WriteLine($"{what}: {recipients:#,0} messages over {connections} MailKit connections");
        var before = cpu.Now();
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var (clientElapsed, failed) = await ceiling.RunAsync("127.0.0.1", port, connections, recipients);
        var used = CpuPerMessage(before, cpu.Now(), recipients);
        var allocatedKb = (GC.GetTotalAllocatedBytes() - allocatedBefore) / 1024.0 / recipients;
        var rate = sink is not null ? (await sink.StatsAsync()).Rate : (recipients - failed) / clientElapsed.TotalSeconds;
        return new CeilingRun(rate, used.Process, allocatedKb, failed);
    }

    private static (double Process, double Postgres) CpuPerMessage(
        (TimeSpan Process, TimeSpan Postgres) from, (TimeSpan Process, TimeSpan Postgres) to, long messages) =>
        ((to.Process - from.Process).TotalMicroseconds / messages, (to.Postgres - from.Postgres).TotalMicroseconds / messages);

    /// <summary>Postfix keeps nothing: timing from the ledger's sent_at, counts from its maillog when there is one.</summary>
    private static async Task<(double Rate, double? FirstMessage, long? Lost, long? Duplicates)> FromDatabaseAndLogAsync(
        BenchDatabase database, PostfixLog log, long sendId, int recipients, DateTime at, SendRecord send)
    {
        var spanMs = await database.ExecuteScalarAsync(
            "SELECT (extract(epoch FROM max(sent_at) - min(sent_at)) * 1000)::bigint FROM deliveries WHERE send_id = @id AND status = 'sent'",
            ("id", sendId));
        var sent = await database.ExecuteScalarAsync(
            "SELECT count(*) FROM deliveries WHERE send_id = @id AND status = 'sent'", ("id", sendId));
        long? lost = null, duplicates = null;
        if (log.Exists)
        {
            var ids = await log.ReadSinceMarkAsync($"send{sendId}.");
            lost = recipients - ids.Count;
            duplicates = ids.Values.Sum(count => (long)count - 1);
        }
        else
        {
            Console.Error.WriteLine("no Postfix maillog: lost and duplicates are unknown");
        }
        return (sent / (spanMs / 1000.0), (send.FirstSentAt - at)?.TotalSeconds, lost, duplicates);
    }

    private static async Task<long> MessageBytesAsync(CeilingLoop ceiling)
    {
        using var stream = new MemoryStream();
        await ceiling.Build(1).WriteToAsync(stream);
        return stream.Length;
    }

    private static string WriteKey(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "dkim-bench.pem");
        using var rsa = RSA.Create(2048);
        File.WriteAllText(path, rsa.ExportPkcs8PrivateKeyPem());
        return path;
    }
}
