using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Api;
using Newsletter.Rendering;

namespace Newsletter.Benchmarks;

/// <summary>
/// <c>api</c>: subscribers upserted through a real <c>serve</c> process's JSON API, one request per batch
/// (<c>POST /api/v1/subscribers/batch</c>), with a read-write key and an Idempotency-Key on each request, as a
/// product syncing its sign-ups would send them: first as new addresses, then the same addresses again (updates).
/// </summary>
public static class ApiBenchmark
{
    public static async Task<BenchReport> RunAsync(BenchArguments arguments)
    {
        var subscribers = arguments.Int("subscribers");
        var batchSize = arguments.Int("batch");
        await using var database = await BenchDatabase.CreateAsync();
        string key;
        await using (var app = await BenchApp.PrepareAsync(database))
            key = await app.Services.GetRequiredService<ApiKeys>().CreateAsync("bench", readOnly: false);
        await BenchApp.CreateListAsync(database, "bench", "Bench");

        await using var server = await ServerChild.StartAsync(Path.Combine(database.Root, "server"), new Dictionary<string, string>
        {
            ["ConnectionStrings:Newsletter"] = database.ConnectionString,
            ["Newsletter:DataDirectory"] = database.AppDataDirectory,
            ["Newsletter:Rendering:TemplatesPath"] = TemplateDirectory.Locate(),
            ["Newsletter:Admin:Password"] = Guid.NewGuid().ToString("N"),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        // Unmeasured: the JIT, the connection pools and the statement's plan warm up as in a running server.
        await UpsertAsync(client, "warmup", batchSize, batchSize);
        var created = await UpsertAsync(client, "sub", subscribers, batchSize);
        var updated = await UpsertAsync(client, "sub", subscribers, batchSize);
        var stored = await database.ExecuteScalarAsync(
            "SELECT count(*) FROM subscriptions s JOIN lists l ON l.id = s.list_id WHERE l.slug = 'bench' AND s.status = 'confirmed'");

        return new BenchReport("api")
            .Add("subscribers", subscribers)
            .Add("batch", batchSize, "subscribers per request")
            .Add("create_per_s", Math.Round(subscribers / created.Seconds), "new addresses, each subscribed to one list")
            .Add("create_request_median_ms", created.MedianMs)
            .Add("update_per_s", Math.Round(subscribers / updated.Seconds), "the same addresses again: name and attributes merged")
            .Add("update_request_median_ms", updated.MedianMs)
            .Add("confirmed_on_list", stored, "should equal subscribers + batch (the warm-up)");
    }

    private static async Task<(double Seconds, double MedianMs)> UpsertAsync(HttpClient client, string prefix, int count, int batchSize)
    {
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        for (var start = 0; start < count; start += batchSize)
        {
            var batch = Enumerable.Range(start, Math.Min(batchSize, count - start)).Select(i => new
            {
                email = $"{prefix}{i.ToString(CultureInfo.InvariantCulture)}@example.com",
                name = $"Reader {i}",
                attributes = new { plan = i % 3 == 0 ? "pro" : "free", signup = "2026-12-04" },
                lists = new[] { "bench" },
                confirmed = true,
            }).ToArray();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/subscribers/batch")
            {
                Content = JsonContent.Create(new { subscribers = batch }),
            };
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            var clock = Stopwatch.StartNew();
            using var response = await client.SendAsync(request);
            times.Add(clock.Elapsed.TotalMilliseconds);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"batch at {start}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        var seconds = total.Elapsed.TotalSeconds;
        times.Sort();
        return (seconds, Math.Round(times[times.Count / 2], 1));
    }
}
