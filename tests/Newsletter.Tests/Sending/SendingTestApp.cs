using Microsoft.Extensions.DependencyInjection;
using Newsletter.Issues;
using Newsletter.Sending;
using Newsletter.Tests.Infrastructure;

namespace Newsletter.Tests.Sending;

/// <summary>The app with small batches and quick retries, and helpers to seed an audience and follow a send.</summary>
public class SendingTestApp : TestApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Newsletter:Sending:BatchSize", "20"),
        new("Newsletter:Sending:RetryBaseSeconds", "1"),
        new("Newsletter:Sending:LeaseSeconds", "10"),
        new("Newsletter:Smtp:PoolSize", "4"),
        new("Newsletter:Subscribers:LinkRequestsPerMinute", "10000"),
    ];

    public SendScheduler Scheduler => Services.GetRequiredService<SendScheduler>();

    public SendStore Sends => Services.GetRequiredService<SendStore>();

    public IssueStore Issues => Services.GetRequiredService<IssueStore>();

    public TestAudience Audience => new(ConnectionString);

    public Task<long> CreateListAsync(string slug) => Audience.CreateListAsync(slug);

    public Task<long> SubscribeAsync(string email, long listId, string status = "confirmed", string name = "") =>
        Audience.SubscribeAsync(email, listId, status, name);

    public Task SuppressAsync(string email) => Audience.SuppressAsync(email);

    public Task<T> ScalarAsync<T>(string sql, object? parameters = null) => Audience.ScalarAsync<T>(sql, parameters);

    /// <summary>Stores the sample issue, or another issue file; returns its id.</summary>
    public async Task<long> StoreSampleIssueAsync(string? path = null) =>
        (await Services.GetRequiredService<IssueLibrary>().AddIssueAsync(path ?? Rendering.RenderingFixture.SamplePath)).Id;

    /// <summary>The send's ledger by state, in a fixed order: <c>"sent=12 failed=3"</c>.</summary>
    public Task<string> LedgerAsync(long sendId) => ScalarAsync<string>(
        "SELECT coalesce(string_agg(status || '=' || n, ' ' ORDER BY status), '-') " +
        "FROM (SELECT status, count(*) n FROM deliveries WHERE send_id = @sendId GROUP BY status) c", new { sendId });

    /// <summary>Suppressed addresses containing <paramref name="tag"/>.</summary>
    public Task<long> SuppressedAsync(string tag) =>
        ScalarAsync<long>("SELECT count(*) FROM suppressions WHERE email_lower LIKE '%' || @tag || '%'", new { tag });

    /// <summary>Waits until the send reaches <paramref name="status"/>.</summary>
    public async Task<SendRecord> WaitForStatusAsync(long sendId, SendStatus status, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var send = (await Sends.GetSendAsync(sendId))!;
            if (send.Status == status)
                return send;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Send {sendId} is {send.Status} ({send.StatusReason}), not {status}. " +
                    $"Deliveries: {await ScalarAsync<string>("SELECT coalesce(string_agg(status || '=' || n, ' '), '-') FROM (SELECT status, count(*) n FROM deliveries WHERE send_id = @sendId GROUP BY status) c", new { sendId })}. " +
                    $"Jobs: {await ScalarAsync<string>("SELECT coalesce(string_agg(statename || '=' || n, ' '), '-') FROM (SELECT statename, count(*) n FROM hangfire.job GROUP BY statename) c")}. " +
                    $"Last failed job: {await ScalarAsync<string?>("SELECT coalesce(max(data::text), 'none') FROM hangfire.state WHERE name = 'Failed'")}");
            await Task.Delay(100);
        }
    }
}
