using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Issues;
using Newsletter.Rendering;
using Newsletter.Sending;
using Newsletter.Subscribers;

namespace Newsletter.Benchmarks;

/// <summary>
/// <c>load</c>: the public endpoints under wrk while the server sends. The real executable runs <c>serve</c>
/// (web host and job server in one process) against a seeded list and the fast sink; each endpoint (one-click
/// unsubscribe with a different signed token per request, the web version of the issue being sent, /healthz)
/// is driven during a send of the whole list, between two sends without load. Then the ledger is checked
/// against the unsubscribes made during the send.
/// </summary>
public static class LoadBenchmark
{
    private const double RequestsTarget = 2_000;
    private const double P99TargetMs = 50;
    private const double DropTarget = 0.20;

    public static async Task<BenchReport> RunAsync(BenchArguments arguments)
    {
        var recipients = arguments.Int("recipients");
        var connections = arguments.Int("connections");
        var threads = arguments.Int("threads");
        var seconds = arguments.Int("seconds");
        var smtpConnections = arguments.Int("smtp-connections");
        var warmup = Math.Min(arguments.Int("warmup"), recipients);
        var linkLimit = arguments.Int("link-requests-per-minute");
        var loginsPerMinute = arguments.Int("logins-per-minute");
        await Wrk.EnsureInstalledAsync();

        await using var database = await BenchDatabase.CreateAsync();
        await using var sink = await SinkProcess.StartAsync();
        // This process seeds, schedules and signs tokens with the app's own services; the server child does the rest.
        await using var app = await BenchApp.StartAsync(database, runJobs: false,
            new Dictionary<string, string?>
            {
                ["Newsletter:Smtp:Port"] = sink.Port.ToString(CultureInfo.InvariantCulture),
                // It runs no job server by design; its health probe saying so every few seconds is noise here.
                ["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = "Error",
            });
        var listId = await BenchApp.SeedAsync(database, recipients);
        await BenchApp.SeedWarmupListAsync(database, warmup);
        var issue = await app.Services.GetRequiredService<IssueLibrary>().AddIssueAsync(Path.Combine(TemplateDirectory.Locate(), "sample-issue.md"));
        var tokens = app.Services.GetRequiredService<SubscriptionTokens>();
        var listTokens = await WriteTokensAsync(database, tokens, "bench", Path.Combine(database.Root, "unsubscribe-bench.txt"));
        var warmupTokens = await WriteTokensAsync(database, tokens, "warmup", Path.Combine(database.Root, "unsubscribe-warmup.txt"));

        await using var server = await ServerChild.StartAsync(Path.Combine(database.Root, "server"), new Dictionary<string, string>
        {
            ["ConnectionStrings:Newsletter"] = database.ConnectionString,
            ["Newsletter:DataDirectory"] = database.AppDataDirectory,
            ["Newsletter:PublicUrl"] = "https://news.example.com",
            ["Newsletter:Sender:Address"] = "letters@news.example.com",
            ["Newsletter:Rendering:TemplatesPath"] = TemplateDirectory.Locate(),
            ["Newsletter:Admin:Password"] = Guid.NewGuid().ToString("N"),
            ["Newsletter:Smtp:Host"] = "127.0.0.1",
            ["Newsletter:Smtp:Port"] = sink.Port.ToString(CultureInfo.InvariantCulture),
            ["Newsletter:Smtp:PoolSize"] = smtpConnections.ToString(CultureInfo.InvariantCulture),
            ["Newsletter:Jobs:Workers"] = Math.Max(10, smtpConnections + 2).ToString(CultureInfo.InvariantCulture),
            // wrk is one client address; the limit is per address (600 a minute as shipped).
            ["Newsletter:Subscribers:LinkRequestsPerMinute"] = linkLimit.ToString(CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        Console.Error.WriteLine($"serve (pid {server.Id}) on {server.BaseAddress}, {recipients:#,0} subscribers seeded");

        var scheduler = app.Services.GetRequiredService<SendScheduler>();
        var sends = app.Services.GetRequiredService<SendStore>();
        var targets = new[]
        {
            new LoadTarget("archive", $"/archive/{issue.Slug}"),
            new LoadTarget("healthz", "/healthz"),
            // Before the unsubscribes, which thin the list for the sends after them.
            // Paced by wrk's delay() on each connection when a rate is given, else as fast as wrk goes.
            new LoadTarget(LoginFlood, "/login", LoginScript,
                loginsPerMinute == 0 ? "0" : (connections * 60_000 / loginsPerMinute).ToString(CultureInfo.InvariantCulture)),
            new LoadTarget("unsubscribe", "/unsubscribe", UnsubscribeScript, listTokens, threads.ToString(CultureInfo.InvariantCulture)),
        };

        // Warm, as a server that has been running: a send through the pipeline (which also puts the issue in
        // the archive), each endpoint driven briefly meanwhile, unmeasured, with a third of the warm-up list's tokens.
        var threadCount = threads.ToString(CultureInfo.InvariantCulture);
        var warm = await scheduler.ScheduleAsync(issue.Id, ["warmup"], null);
        foreach (var target in targets)
            await Wrk.RunAsync(new Uri(server.BaseAddress, target.Path), threads, connections, 2, target.Script,
                target.Script is null ? [] : [warmupTokens, threadCount]);
        await SendWatch.WaitForFinishAsync(sends, warm.Id, sink, null, 0);

        var run = new SendUnderLoad(database, scheduler, sends, sink, server, issue.Id, recipients, threads, connections, seconds);
        var phases = new List<LoadPhase>();
        async Task<LoadPhase> PhaseAsync(LoadTarget? target)
        {
            var phase = await run.RunAsync(target);
            Console.Error.WriteLine($"send {phase.SendId} under {phase.Endpoint}: {phase.WindowRate:#,0} msg/s in the window"
                + (phase.Load is { } load ? $", {load.RequestsPerSecond:#,0} req/s, p99 {load.P99Ms:0.0} ms" : ""));
            phases.Add(phase);
            return phase;
        }

        var before = await PhaseAsync(null);
        foreach (var target in targets)
            await PhaseAsync(target);
        var audit = await UnsubscribeAudit.RunAsync(database, phases.Single(p => p.Endpoint == "unsubscribe").SendId, listId);
        // The list as it was, so the last send without load is of the same size as the first.
        await database.ExecuteScalarAsync("UPDATE subscriptions SET status = 'confirmed', unsubscribed_at = NULL WHERE list_id = @list", ("list", listId));
        var after = await PhaseAsync(null);
        var unloaded = (before.WindowRate + after.WindowRate) / 2;

        // Last, with the server at its warmest: each endpoint with no send running, and its CPU a request over
        // what the server and PostgreSQL spend doing nothing (Hangfire's polling, the health probes), measured
        // first. The sends' dead rows are vacuumed first, or autovacuum's workers count as the requests' cost.
        Console.Error.WriteLine("endpoints without a send");
        await database.ExecuteScalarAsync("VACUUM (ANALYZE)");
        await database.ExecuteScalarAsync("CHECKPOINT");
        var cpu = new CpuClock(database.PostmasterPid);
        await WaitUntilQuietAsync(cpu);
        var quietFrom = (Server: server.CpuTime, cpu.Now().Postgres, At: DateTime.UtcNow);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var quietSeconds = (DateTime.UtcNow - quietFrom.At).TotalSeconds;
        var quiet = (Server: (server.CpuTime - quietFrom.Server).TotalMicroseconds / quietSeconds,
            Postgres: (cpu.Now().Postgres - quietFrom.Postgres).TotalMicroseconds / quietSeconds);
        Console.Error.WriteLine($"doing nothing: server {quiet.Server / 1000:0} ms of CPU a second, PostgreSQL {quiet.Postgres / 1000:0} ms");
        var idle = new Dictionary<string, IdleLoad>();
        foreach (var target in targets)
        {
            var (serverBefore, postgresBefore, at) = (server.CpuTime, cpu.Now().Postgres, DateTime.UtcNow);
            var result = await Wrk.RunAsync(new Uri(server.BaseAddress, target.Path), threads, connections, Math.Min(5, seconds), target.Script,
                target.Script is null ? [] : [warmupTokens, threadCount, (warmup / 3).ToString(CultureInfo.InvariantCulture)]);
            var elapsed = (DateTime.UtcNow - at).TotalSeconds;
            var load = new IdleLoad(result,
                ((server.CpuTime - serverBefore).TotalMicroseconds - quiet.Server * elapsed) / result.Requests,
                ((cpu.Now().Postgres - postgresBefore).TotalMicroseconds - quiet.Postgres * elapsed) / result.Requests);
            idle[target.Name] = load;
            Console.Error.WriteLine($"{target.Name} without a send: {result.RequestsPerSecond:#,0} req/s, p99 {result.P99Ms:0.0} ms, " +
                $"CPU µs a request: server {load.ServerUs:0}, PostgreSQL {load.PostgresUs:0}, wrk {result.WrkUs:0}");
        }

        PrintTable(phases, idle, unloaded, audit, recipients, connections, seconds);
        return Report(phases, idle, unloaded, audit, recipients, connections, threads, seconds, smtpConnections, linkLimit);
    }

    /// <summary>
    /// Waits, at most a minute, until PostgreSQL spends under a tenth of a core: after five sends of 100,000 it
    /// stayed busy for seconds (562 ms of CPU a second in one run's quiet window), and the requests' cost came out negative.
    /// </summary>
    private static async Task WaitUntilQuietAsync(CpuClock cpu)
    {
        for (var second = 0; second < 60; second++)
        {
            var before = cpu.Now().Postgres;
            await Task.Delay(TimeSpan.FromSeconds(1));
            if ((cpu.Now().Postgres - before).TotalSeconds < 0.1)
                return;
        }
        Console.Error.WriteLine("PostgreSQL still busy after a minute: the CPU a request without a send is overstated or understated");
    }

    private static string UnsubscribeScript => Path.Combine(AppContext.BaseDirectory, "unsubscribe.lua");

    /// <summary>Password guessing: its answers are meant to be 429s, and what counts is their latency and the send's rate.</summary>
    private const string LoginFlood = "login";

    private static string LoginScript => Path.Combine(AppContext.BaseDirectory, "login.lua");

    /// <summary>
    /// One unsubscribe token per subscriber of the list, in shuffled order: the send claims in subscriber order and
    /// people unsubscribe in none, so some have had the issue, most are still to come and a few sit in a batch
    /// already claimed, the case the audit is about.
    /// </summary>
    private static async Task<string> WriteTokensAsync(BenchDatabase database, SubscriptionTokens tokens, string list, string path)
    {
        var listId = await database.ExecuteScalarAsync("SELECT coalesce((SELECT id FROM lists WHERE slug = @slug), 0)", ("slug", list));
        var ids = await database.QueryLongsAsync("SELECT subscriber_id FROM subscriptions WHERE list_id = @list", ("list", listId));
        new Random(8058).Shuffle(ids);
        await File.WriteAllLinesAsync(path, ids.Select(id => tokens.Create(TokenPurpose.Unsubscribe, id, listId)));
        return path;
    }

    private static double Drop(LoadPhase phase, double unloaded) => 1 - phase.WindowRate / unloaded;

    private static string Mark(bool met) => met ? "met" : "MISSED";

    /// <summary>Quick refusals (a 429 from the rate limit, a 400) are not the endpoint doing its work, except for the login flood's.</summary>
    private static bool Answered(string endpoint, WrkResult load) => (load.Non2xx == 0 || endpoint == LoginFlood) && load.SocketErrors == 0;

    private static void PrintTable(IReadOnlyList<LoadPhase> phases, Dictionary<string, IdleLoad> idle, double unloaded,
        UnsubscribeAudit audit, int recipients, int connections, int seconds)
    {
        var output = Console.Out;
        output.WriteLine();
        output.WriteLine($"{recipients:#,0} recipients a send; wrk {connections} connections, {seconds} s an endpoint; targets: ≥ {RequestsTarget:#,0} req/s, p99 ≤ {P99TargetMs} ms, send rate drop ≤ {DropTarget:P0}");
        output.WriteLine("| load during the send | req/s | p50 ms | p99 ms | non-2xx / socket errors | without a send: req/s, p99 ms; CPU µs a request, server + PostgreSQL + wrk | send msg/s in the window (whole send) | drop | server cores / machine busy |");
        output.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var phase in phases)
        {
            var load = phase.Load;
            var alone = idle.GetValueOrDefault(phase.Endpoint);
            output.WriteLine(string.Join(" | ", [
                $"| {phase.Endpoint}",
                load is null ? "" : $"{load.RequestsPerSecond:#,0} ({Mark(load.RequestsPerSecond >= RequestsTarget && Answered(phase.Endpoint, load))})",
                load is null ? "" : $"{load.P50Ms:0.0}",
                load is null ? "" : $"{load.P99Ms:0.0} ({Mark(load.P99Ms <= P99TargetMs && Answered(phase.Endpoint, load))})",
                load is null ? "" : $"{load.Non2xx:#,0} / {load.SocketErrors:#,0}",
                alone is null ? "" : $"{alone.Load.RequestsPerSecond:#,0}, {alone.Load.P99Ms:0.0}; {alone.ServerUs:0} + {alone.PostgresUs:0} + {alone.Load.WrkUs:0}",
                $"{phase.WindowRate:#,0} ({phase.SendRate:#,0}){(phase.EndedInWindow ? ", ended in the window" : "")}",
                load is null ? "" : $"{Drop(phase, unloaded):P1} ({Mark(Drop(phase, unloaded) <= DropTarget)})",
                $"{phase.ServerCores:0.00} / {phase.MachineBusy:P0} |"]));
        }
        output.WriteLine($"send rate without load: {unloaded:#,0} msg/s (mean of the first and last sends)");
        output.WriteLine($"unsubscribes during the send: {audit.Unsubscribed:#,0} (subscriptions unsubscribed: {audit.SubscriptionsUnsubscribed:#,0}); " +
            $"had the issue before: {audit.SentBefore:#,0}; skipped: {audit.Skipped:#,0}; " +
            $"sent after the unsubscribe: {audit.Violations:#,0} ({(audit.Unsubscribed == 0 ? "none made" : Mark(audit.Violations == 0))}), median lag {audit.MedianLagMs:#,0} ms, worst {audit.WorstLagMs:#,0} ms");
    }

    private static BenchReport Report(IReadOnlyList<LoadPhase> phases, Dictionary<string, IdleLoad> idle, double unloaded,
        UnsubscribeAudit audit, int recipients, int connections, int threads, int seconds, int smtpConnections, int linkLimit)
    {
        var report = new BenchReport("load")
            .Add("recipients", recipients)
            .Add("connections", connections, "wrk's HTTP connections")
            .Add("threads", threads, "wrk's threads")
            .Add("seconds", seconds, "wrk's window in each send")
            .Add("smtp_connections", smtpConnections)
            .Add("link_requests_per_minute", linkLimit, "the server's per-address limit on signed-link pages")
            .Add("send_msgs_per_s_unloaded", unloaded, "mean of the first and last sends' windows, no load");
        foreach (var phase in phases.Where(p => p.Load is not null))
        {
            var name = phase.Endpoint;
            report.Add($"{name}_req_per_s", phase.Load!.RequestsPerSecond)
                .Add($"{name}_p50_ms", phase.Load.P50Ms)
                .Add($"{name}_p99_ms", phase.Load.P99Ms)
                .Add($"{name}_non_2xx", phase.Load.Non2xx)
                .Add($"{name}_socket_errors", phase.Load.SocketErrors)
                .Add($"{name}_idle_req_per_s", idle.GetValueOrDefault(name)?.Load.RequestsPerSecond, "no send running")
                .Add($"{name}_idle_p99_ms", idle.GetValueOrDefault(name)?.Load.P99Ms)
                .Add($"{name}_idle_server_us_per_req", idle.GetValueOrDefault(name)?.ServerUs, "the server's CPU a request, no send running")
                .Add($"{name}_idle_pg_us_per_req", idle.GetValueOrDefault(name)?.PostgresUs, "PostgreSQL's")
                .Add($"{name}_idle_wrk_us_per_req", idle.GetValueOrDefault(name)?.Load.WrkUs, "wrk's own")
                .Add($"{name}_send_msgs_per_s", phase.WindowRate, "during wrk's window")
                .Add($"{name}_send_drop", Drop(phase, unloaded), "1 - loaded / unloaded")
                .Add($"{name}_server_cores", phase.ServerCores, "the server process's CPU over the window");
        }
        return report
            .Add("unsubscribed", audit.Unsubscribed, "consent events of the list, all made during the send")
            .Add("unsubscribe_skipped", audit.Skipped, "rows the send skipped: honoured")
            .Add("unsubscribe_sent_before", audit.SentBefore, "had the issue before they unsubscribed")
            .Add("unsubscribe_violations", audit.Violations, "sent after the unsubscribe")
            .Add("unsubscribe_median_lag_ms", audit.MedianLagMs)
            .Add("unsubscribe_worst_lag_ms", audit.WorstLagMs)
            .Add("lost", phases.Sum(p => p.Lost), "marked sent, never received, all sends")
            .Add("duplicates", phases.Sum(p => p.Duplicates))
            .Add("unfinished", phases.Sum(p => p.Unfinished), "rows neither sent nor skipped, all sends");
    }
}
