using Dapper;
using Newsletter.Sending;
using Newsletter.Tests.Infrastructure;
using Npgsql;

namespace Newsletter.Tests.Sending;

/// <summary>One flush writes many rows at once: each row must get its own time, error and retry moment.</summary>
public sealed class RecordedOutcomesTests : IAsyncLifetime
{
    private string _connectionString = "";
    private NpgsqlDataSource _database = null!;
    private long _listId;
    private long _sendId;

    private TestAudience Audience => new(_connectionString);

    public async Task InitializeAsync()
    {
        _connectionString = await TestPostgres.CreateMigratedDatabaseAsync(nameof(RecordedOutcomesTests));
        _database = NpgsqlDataSource.Create(_connectionString);
        (_listId, _sendId) = await Audience.CreateFrozenSendAsync("outcomes", 9);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task EveryRowOfAFlushGetsItsOwnValues()
    {
        var store = new DeliveryStore(_database);
        var ids = (await store.ClaimAsync(_sendId, [_listId], 9, TimeSpan.FromMinutes(1)))
            .Select(d => d.SubscriberId).Order().ToArray();
        Assert.Equal(9, ids.Length);

        // Outcomes arrive in the order messages went out, not in id order: each list runs backwards here.
        var start = new DateTime(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
        var outcomes = new DeliveryOutcomes();
        foreach (var (id, i) in ids[..3].Select((id, i) => (id, i)).Reverse())
            outcomes.Sent.Add((id, start.AddSeconds(i)));
        foreach (var (id, i) in ids[3..6].Select((id, i) => (id, i)).Reverse())
            outcomes.Failed.Add((id, $"550 refused {i}"));
        foreach (var (id, i) in ids[6..].Select((id, i) => (id, i)).Reverse())
            outcomes.Deferred.Add((id, $"451 later {i}", start.AddMinutes(i + 1)));
        await store.RecordAsync(_sendId, outcomes);

        await using var connection = await _database.OpenConnectionAsync();
        var rows = (await connection.QueryAsync<(long Id, string Status, DateTime? SentAt, string? Error, DateTime NextAttemptAt)>("""
            SELECT subscriber_id, status, sent_at, last_error, next_attempt_at
            FROM deliveries WHERE send_id = @SendId ORDER BY subscriber_id
            """, new { SendId = _sendId })).ToArray();
        Assert.Equal(ids, rows.Select(r => r.Id));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(("sent", start.AddSeconds(i), null), (rows[i].Status, rows[i].SentAt?.ToUniversalTime(), rows[i].Error));
            Assert.Equal(("failed", $"550 refused {i}"), (rows[3 + i].Status, rows[3 + i].Error));
            Assert.Equal(("pending", $"451 later {i}", start.AddMinutes(i + 1)),
                (rows[6 + i].Status, rows[6 + i].Error, rows[6 + i].NextAttemptAt.ToUniversalTime()));
        }
    }
}
