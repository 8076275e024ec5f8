using Dapper;
using Newsletter.Issues;
using Newsletter.Sending;
using Newsletter.Tests.Infrastructure;
using Npgsql;

namespace Newsletter.Tests.Sending;

/// <summary>
/// The freeze writes the ledger in parts, one range of subscriber ids each, on connections of their own:
/// together they hold every recipient once, and a freeze that fails part-way leaves nothing behind.
/// </summary>
public sealed class AudienceFreezeTests : IAsyncLifetime
{
    // The audience as one statement reads it, to compare the parts' rows with.
    private const string ExpectedSql = """
        SELECT s.id AS SubscriberId, min(sub.list_id) AS ListId, s.email AS Email
        FROM subscriptions sub JOIN subscribers s ON s.id = sub.subscriber_id
        WHERE sub.list_id = ANY(@lists) AND sub.status = 'confirmed'
          AND NOT EXISTS (SELECT 1 FROM suppressions x WHERE x.email_lower = lower(s.email))
        GROUP BY s.id ORDER BY s.id
        """;

    private const string LedgerSql =
        "SELECT subscriber_id AS SubscriberId, list_id AS ListId, email AS Email FROM deliveries WHERE send_id = @send ORDER BY subscriber_id";

    private string _connectionString = "";
    private NpgsqlDataSource _database = null!;
    private SendStore _sends = null!;

    private TestAudience Audience => new(_connectionString);

    public async Task InitializeAsync()
    {
        _connectionString = await TestPostgres.CreateMigratedDatabaseAsync(nameof(AudienceFreezeTests));
        _database = NpgsqlDataSource.Create(_connectionString);
        _sends = new SendStore(_database, new DeliveryStore(_database));
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(32)]
    public async Task ThePartsTogetherHoldEveryRecipientOnceWithTheLowestListId(int parts)
    {
        var lists = await TwoOverlappingListsAsync($"parts{parts}");
        var send = await CreateSendAsync($"parts{parts}", lists);

        Assert.True(await PrepareAsync(send, lists, parts));

        var expected = await QueryAsync(ExpectedSql, new { lists });
        Assert.Equal(expected, await QueryAsync(LedgerSql, new { send }));
        Assert.Equal(expected.Count, (await _sends.GetSendAsync(send))!.Recipients);
        Assert.Contains(expected, r => r.ListId == lists[1]);
    }

    [Fact]
    public async Task ASendToOneListIsFrozenInPartsWithOthersSubscribersInBetween()
    {
        var lists = await TwoOverlappingListsAsync("one");
        var send = await CreateSendAsync("one", [lists[1]]);

        Assert.True(await PrepareAsync(send, [lists[1]], 3));

        var expected = await QueryAsync(ExpectedSql, new { lists = new[] { lists[1] } });
        Assert.Equal(expected, await QueryAsync(LedgerSql, new { send }));
    }

    [Fact]
    public async Task AFailedPartLeavesTheSendUnpreparedAndTheNextAttemptWritesTheWholeLedger()
    {
        var lists = await TwoOverlappingListsAsync("fails");
        var send = await CreateSendAsync("fails", lists);
        var expected = await QueryAsync(ExpectedSql, new { lists });
        // The last recipient's row cannot be written: the last part fails, the first commits its rows.
        await ExecuteAsync($"""
            CREATE FUNCTION refuse_row() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'refused row'; END $$;
            CREATE TRIGGER refuse_row BEFORE INSERT ON deliveries FOR EACH ROW
            WHEN (NEW.subscriber_id = {expected[^1].SubscriberId}) EXECUTE FUNCTION refuse_row();
            """);

        var failure = await Assert.ThrowsAsync<PostgresException>(() => PrepareAsync(send, lists, 2));

        Assert.Contains("refused row", failure.MessageText);
        Assert.Null((await _sends.GetSendAsync(send))!.PreparedAt);
        var left = await QueryAsync(LedgerSql, new { send });
        Assert.NotEmpty(left);
        Assert.True(left.Count < expected.Count);

        await ExecuteAsync("DROP TRIGGER refuse_row ON deliveries; DROP FUNCTION refuse_row()");
        // Meanwhile a recipient of the first part's rows left; the next attempt must not keep their row.
        await ExecuteAsync("UPDATE subscriptions SET status = 'unsubscribed' WHERE subscriber_id = @id", new { id = left[0].SubscriberId });
        Assert.True(await PrepareAsync(send, lists, 2));

        var now = await QueryAsync(ExpectedSql, new { lists });
        Assert.DoesNotContain(now, r => r.SubscriberId == left[0].SubscriberId);
        Assert.Equal(now, await QueryAsync(LedgerSql, new { send }));
        Assert.Equal(now.Count, (await _sends.GetSendAsync(send))!.Recipients);
    }

    [Fact]
    public async Task TwoPreparesAtOnceFreezeTheAudienceOnce()
    {
        var lists = await TwoOverlappingListsAsync("race");
        var send = await CreateSendAsync("race", lists);

        var prepared = await Task.WhenAll(PrepareAsync(send, lists, 2), PrepareAsync(send, lists, 3));

        Assert.Single(prepared, p => p);
        var expected = await QueryAsync(ExpectedSql, new { lists });
        Assert.Equal(expected, await QueryAsync(LedgerSql, new { send }));
    }

    [Fact]
    public async Task APreparedSendIsNotFrozenAgain()
    {
        var lists = await TwoOverlappingListsAsync("again");
        var send = await CreateSendAsync("again", lists);
        Assert.True(await PrepareAsync(send, lists, 2));
        var first = await QueryAsync(LedgerSql, new { send });

        await Audience.SubscribeAsync("late-again@example.com", lists[0]);

        Assert.False(await PrepareAsync(send, lists, 2));
        Assert.Equal(first, await QueryAsync(LedgerSql, new { send }));
    }

    [Theory]
    [InlineData(1, 100, 1)]
    [InlineData(1, 100, 3)]
    [InlineData(7, 7, 4)]
    [InlineData(10, 12, 8)]
    [InlineData(long.MaxValue - 5, long.MaxValue, 2)]
    public void TheRangesCoverEveryIdOnceInAsManyPartsAsThereAreIds(long lowest, long highest, int parts)
    {
        var ranges = AudienceFreeze.Split(lowest, highest, parts);

        Assert.Equal(Math.Min(parts, highest - lowest + 1), ranges.Count);
        Assert.Equal(long.MinValue, ranges[0].From);
        Assert.Equal(long.MaxValue, ranges[^1].To);
        Assert.All(ranges.Zip(ranges.Skip(1)), pair => Assert.Equal(pair.First.To + 1, pair.Second.From));
        Assert.All(ranges, r => Assert.True(r.From <= r.To));
        Assert.All(ranges.Skip(1), r => Assert.InRange(r.From, lowest + 1, highest));
    }

    /// <summary>
    /// Two lists sharing subscribers, with others' subscribers between theirs, a reader who left, one waiting
    /// for confirmation and a suppressed address.
    /// </summary>
    private async Task<long[]> TwoOverlappingListsAsync(string tag)
    {
        var a = await Audience.CreateListAsync($"{tag}-a");
        var b = await Audience.CreateListAsync($"{tag}-b");
        var other = await Audience.CreateListAsync($"{tag}-other");
        for (var i = 1; i <= 40; i++)
        {
            var email = $"{tag}{i}@example.com";
            if (i % 5 == 0)
                await Audience.SubscribeAsync(email, other);
            else
            {
                if (i <= 30)
                    await Audience.SubscribeAsync(email, a);
                if (i > 10)
                    await Audience.SubscribeAsync(email, b);
            }
        }
        await Audience.SubscribeAsync($"{tag}2@example.com", a, "unsubscribed");
        await Audience.SubscribeAsync($"{tag}3@example.com", a, "unconfirmed");
        await Audience.SuppressAsync($"{tag.ToUpperInvariant()}17@example.com");
        return [a, b];
    }

    private async Task<long> CreateSendAsync(string tag, long[] lists)
    {
        var issue = await new IssueStore(_database).UpsertIssueAsync(tag, tag, "", null);
        return await _sends.CreateSendAsync(issue, lists, DateTime.UtcNow.AddHours(1), null);
    }

    private Task<bool> PrepareAsync(long send, long[] lists, int parts) =>
        _sends.PrepareAsync(send, "Subject", "<p>Hi</p>", "Hi", lists, parts);

    private async Task<List<(long SubscriberId, long ListId, string Email)>> QueryAsync(string sql, object parameters)
    {
        await using var connection = await _database.OpenConnectionAsync();
        return (await connection.QueryAsync<(long, long, string)>(sql, parameters)).ToList();
    }

    private async Task ExecuteAsync(string sql, object? parameters = null)
    {
        await using var connection = await _database.OpenConnectionAsync();
        await connection.ExecuteAsync(sql, parameters);
    }
}
