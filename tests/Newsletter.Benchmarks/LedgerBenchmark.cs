using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;
using Newsletter.Issues;
using Newsletter.Rendering;
using Newsletter.Sending;

namespace Newsletter.Benchmarks;

/// <summary>
/// <c>ledger</c>: a frozen send's database work alone — C loops that claim batches and hand every row to
/// the outcome writer as sent, as the batch jobs do, with no SMTP and no job server. PostgreSQL's CPU per message
/// here is what the send pipeline pays it, free of the SMTP sink's noise.
/// </summary>
public static class LedgerBenchmark
{
    public static async Task<BenchReport> RunAsync(BenchArguments arguments)
    {
        var recipients = arguments.Int("recipients");
        var connections = arguments.Int("connections");
        await using var database = await BenchDatabase.CreateAsync();
        await using var app = await BenchApp.StartAsync(database, runJobs: false, []);
        var listId = await BenchApp.SeedAsync(database, recipients);

        var scheduler = app.Services.GetRequiredService<SendScheduler>();
        var sends = app.Services.GetRequiredService<SendStore>();
        var deliveries = app.Services.GetRequiredService<DeliveryStore>();
        var writer = app.Services.GetRequiredService<OutcomeWriter>();
        var settings = app.Services.GetRequiredService<IOptions<SendingOptions>>().Value;
        var issue = await app.Services.GetRequiredService<IssueLibrary>().AddIssueAsync(Path.Combine(TemplateDirectory.Locate(), "sample-issue.md"));
        var send = await scheduler.ScheduleAsync(issue.Id, ["bench"], DateTime.UtcNow.AddHours(1));
        await app.Services.GetRequiredService<StartSendJob>().PrepareAsync(send.Id, CancellationToken.None);
        await sends.StartAsync(send.Id);

        var cpu = new CpuClock(database.PostmasterPid);
        var before = cpu.Now();
        var clock = Stopwatch.StartNew();
        long recorded = 0;
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            await using var inHand = new LeasedDeliveries(deliveries, send.Id, TimeSpan.FromSeconds(settings.LeaseSeconds), NullLogger.Instance);
            var outcomes = new DeliveryOutcomes();
            while (await inHand.ClaimAsync([listId], settings.BatchSize))
            {
                while (inHand.Count > 0)
                {
                    outcomes.Sent.Add((inHand.Next.SubscriberId, DateTime.UtcNow));
                    inHand.Attempted();
                    writer.Hand(send.Id, outcomes);
                    Interlocked.Increment(ref recorded);
                    // A message's pace, roughly: the writer batches what arrives while it flushes.
                    await Task.Yield();
                }
                await writer.RecordedAsync(send.Id);
            }
        })));
        var seconds = clock.Elapsed.TotalSeconds;
        var after = cpu.Now();
        var sent = await database.ExecuteScalarAsync(
            "SELECT count(*) FROM deliveries WHERE send_id = @id AND status = 'sent'", ("id", send.Id));

        return new BenchReport("ledger")
            .Add("recipients", recipients)
            .Add("connections", connections)
            .Add("batch_size", settings.BatchSize)
            .Add("outcome_flush_ms", settings.OutcomeFlushMilliseconds)
            .Add("rows_per_s", recorded / seconds, "claimed and recorded as sent")
            .Add("pg_cpu_us_per_msg", (after.Postgres - before.Postgres).TotalMicroseconds / recorded, "PostgreSQL's CPU time")
            .Add("process_cpu_us_per_msg", (after.Process - before.Process).TotalMicroseconds / recorded, "this process's")
            .Add("unrecorded", recipients - sent, "rows of the send not marked sent");
    }
}
