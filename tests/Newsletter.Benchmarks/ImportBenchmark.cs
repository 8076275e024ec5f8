using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Subscribers;

namespace Newsletter.Benchmarks;

/// <summary>
/// <c>import</c>: a generated CSV of N rows through the real importer (binary COPY, one merge), into an empty
/// database or, with <c>--existing M</c>, one that already holds M other subscribers (on another list).
/// </summary>
public static class ImportBenchmark
{
    public static async Task<BenchReport> RunAsync(BenchArguments arguments)
    {
        var rows = arguments.Int("rows");
        var existing = arguments.Int("existing");
        await using var database = await BenchDatabase.CreateAsync();
        await using var app = await BenchApp.StartAsync(database, runJobs: false, []);
        if (existing > 0)
            await BenchApp.SeedAsync(database, existing, "others", "Others", "member");
        await BenchApp.CreateListAsync(database, "bench", "Benchmark");

        var csv = Path.Combine(database.Root, "people.csv");
        await WriteCsvAsync(csv, rows);
        var fileBytes = new FileInfo(csv).Length;
        var rssBefore = ResidentMemory.PeakMegabytes();

        var importer = app.Services.GetRequiredService<SubscriberImporter>();
        var rejected = 0;
        var clock = Stopwatch.StartNew();
        await using (var stream = new FileStream(csv, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
        {
            var summary = await importer.ImportAsync(stream, "bench", confirmed: true, _ => rejected++);
            Console.Error.WriteLine(summary.ToString());
        }
        var seconds = clock.Elapsed.TotalSeconds;

        return new BenchReport("import")
            .Add("rows", rows)
            .Add("existing", existing)
            .Add("file_mb", fileBytes / 1048576.0)
            .Add("import_s", seconds)
            .Add("rows_per_s", rows / seconds)
            .Add("rejected", rejected)
            .Add("peak_rss_mb", ResidentMemory.PeakMegabytes(), $"VmHWM; {rssBefore:0} MB before the import");
    }

    /// <summary>Rows like a real export: address, first and last name, and two attribute columns.</summary>
    private static async Task WriteCsvAsync(string path, int rows)
    {
        await using var writer = new StreamWriter(path, append: false, System.Text.Encoding.UTF8, 1 << 16);
        await writer.WriteLineAsync("Email Address,First Name,Last Name,City,Signed up");
        for (var i = 1; i <= rows; i++)
            await writer.WriteLineAsync($"reader{i}@example.com,Reader,Number {i},City {i % 97},2025-{i % 12 + 1:00}-01");
    }
}
