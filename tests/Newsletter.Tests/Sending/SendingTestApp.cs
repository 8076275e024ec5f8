using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Sending;
using Newsletter.Tests.Infrastructure;
using Npgsql;

namespace Newsletter.Tests.Sending;

/// <summary>The app with small batches and quick retries, and helpers to seed an audience and follow a send.</summary>
public class SendingTestApp : TestApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Newsletter:Sending:BatchSize", "20"),
        new("Newsletter:Sending:FlushEvery", "5"),
        new("Newsletter:Sending:RetryBaseSeconds", "1"),
        new("Newsletter:Sending:LeaseSeconds", "10"),
        new("Newsletter:Smtp:PoolSize", "4"),
        new("Newsletter:Subscribers:LinkRequestsPerMinute", "10000"),
    ];

    public SendScheduler Scheduler => Services.GetRequiredService<SendScheduler>();

    public SendStore Sends => Services.GetRequiredService<SendStore>();

    public async Task<long> CreateListAsync(string slug)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return await connection.ExecuteScalarAsync<long>(
            "INSERT INTO lists (slug, name, double_opt_in) VALUES (@slug, @slug, false) RETURNING id", new { slug });
    }

    /// <summary>Adds (or finds) a subscriber and sets their subscription to <paramref name="status"/> on the list.</summary>
    public async Task<long> SubscribeAsync(string email, long listId, string status = "confirmed", string name = "")
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        var id = await connection.ExecuteScalarAsync<long>("""
            INSERT INTO subscribers (email, name) VALUES (@email, @name)
            ON CONFLICT (lower(email)) DO UPDATE SET name = excluded.name
            RETURNING id
            """, new { email, name });
        await connection.ExecuteAsync("""
            INSERT INTO subscriptions (list_id, subscriber_id, status) VALUES (@listId, @id, @status)
            ON CONFLICT (list_id, subscriber_id) DO UPDATE SET status = excluded.status
            """, new { listId, id, status });
        return id;
    }

    public async Task SuppressAsync(string email)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.ExecuteAsync(
            "INSERT INTO suppressions (email_lower, reason) VALUES (lower(@email), 'manual')", new { email });
    }

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return await connection.ExecuteScalarAsync<T>(sql, parameters) ?? throw new InvalidOperationException($"No value from {sql}");
    }

    public async Task<long> StoreSampleIssueAsync() =>
        (await Scheduler.AddIssueAsync(Rendering.RenderingFixture.SamplePath)).Id;

    /// <summary>Waits until the send reaches <paramref name="status"/>.</summary>
    public async Task<SendRecord> WaitForStatusAsync(long sendId, string status, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var send = (await Sends.GetSendAsync(sendId))!;
            if (send.Status == status)
                return send;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Send {sendId} is {send.Status} ({send.StatusReason}), not {status}.");
            await Task.Delay(100);
        }
    }
}
