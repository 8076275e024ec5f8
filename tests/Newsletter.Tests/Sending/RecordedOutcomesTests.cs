using Dapper;
using Newsletter.Sending;
using Newsletter.Tests.Infrastructure;
using Npgsql;

namespace Newsletter.Tests.Sending;

/// <summary>
/// One flush writes many rows at once, in one statement: each row must get its own time, error and retry
/// moment, hard bounces are suppressed, and the send's status and the rows it changed come back with it.
/// </summary>
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
        outcomes.Bounced.Add((ids[4], $"reader{ids[4]}@Example.com", "550 no such user"));
        Assert.Equal(SendStatus.Sending, await store.RecordAsync(_sendId, outcomes));

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

        var bounce = await connection.QuerySingleAsync<(string Email, string Reason, long EventFor)>("""
            SELECT x.email_lower, x.reason, e.subscriber_id
            FROM suppressions x, consent_events e WHERE e.action = 'suppressed_hard_bounce'
            """);
        Assert.Equal(($"reader{ids[4]}@example.com", "hard_bounce", ids[4]), bounce);
    }

    [Fact]
    public async Task AFlushAfterAPauseStillRecordsAndSaysSo()
    {
        var store = new DeliveryStore(_database);
        var id = (await store.ClaimAsync(_sendId, [_listId], 1, TimeSpan.FromMinutes(1))).Single().SubscriberId;
        await using var connection = await _database.OpenConnectionAsync();
        await connection.ExecuteAsync("UPDATE sends SET status = 'paused' WHERE id = @SendId", new { SendId = _sendId });

        var outcomes = new DeliveryOutcomes();
        outcomes.Sent.Add((id, DateTime.UtcNow));
        Assert.Equal(SendStatus.Paused, await store.RecordAsync(_sendId, outcomes));
        Assert.Equal("sent", await connection.ExecuteScalarAsync<string>(
            "SELECT status FROM deliveries WHERE send_id = @SendId AND subscriber_id = @id", new { SendId = _sendId, id }));
        Assert.Null(await store.RecordAsync(_sendId, new DeliveryOutcomes()));
    }

    [Fact]
    public async Task AWriteCountsOnlyTheRowsItChanged()
    {
        var store = new DeliveryStore(_database);
        var ids = (await store.ClaimAsync(_sendId, [_listId], 6, TimeSpan.FromMinutes(1))).Select(d => d.SubscriberId).Order().ToArray();
        // The first row's lease ran out and recovery gave it back: its late outcome changes nothing, so counts nothing.
        await using var connection = await _database.OpenConnectionAsync();
        await connection.ExecuteAsync("UPDATE deliveries SET status = 'pending' WHERE send_id = @SendId AND subscriber_id = @id",
            new { SendId = _sendId, id = ids[0] });

        var outcomes = new DeliveryOutcomes();
        outcomes.Sent.AddRange([(ids[0], DateTime.UtcNow), (ids[1], DateTime.UtcNow)]);
        outcomes.Failed.AddRange([(ids[2], "550 5.2.2 mailbox full"), (ids[3], "550 5.1.1 no such user")]);
        outcomes.Bounced.Add((ids[3], $"reader{ids[3]}@example.com", "550 5.1.1 no such user"));
        outcomes.Deferred.Add((ids[4], "451 later", DateTime.UtcNow.AddMinutes(1)));
        var mixed = await store.RecordAsync(_sendId, outcomes, consent: null);
        // All sent, so the lighter statement: the row already sent is not counted again.
        var sentOnly = new DeliveryOutcomes();
        sentOnly.Sent.AddRange([(ids[1], DateTime.UtcNow), (ids[5], DateTime.UtcNow)]);
        var sent = await store.RecordAsync(_sendId, sentOnly, consent: null);

        Assert.Equal(new RecordedOutcomes(Sent: 1, Deferred: 1, Failed: 2, Bounced: 1), mixed.Recorded);
        Assert.Equal(new RecordedOutcomes(Sent: 1, Deferred: 0, Failed: 0, Bounced: 0), sent.Recorded);
    }
}
