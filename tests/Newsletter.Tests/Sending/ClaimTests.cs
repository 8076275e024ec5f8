using Dapper;
using Newsletter.Sending;
using Newsletter.Tests.Infrastructure;
using Npgsql;

namespace Newsletter.Tests.Sending;

/// <summary>
/// Claims take fresh rows in subscriber order from where the send's last claim stopped, and rows due
/// again from an index of their own: no row may be left behind that point unclaimed.
/// </summary>
public sealed class ClaimTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    private string _connectionString = "";
    private NpgsqlDataSource _database = null!;
    private DeliveryStore _store = null!;
    private long _listId;
    private long _sendId;
    private long[] _ids = [];

    private TestAudience Audience => new(_connectionString);

    public async Task InitializeAsync()
    {
        _connectionString = await TestPostgres.CreateMigratedDatabaseAsync(nameof(ClaimTests));
        _database = NpgsqlDataSource.Create(_connectionString);
        _store = new DeliveryStore(_database);
        (_listId, _sendId) = await Audience.CreateFrozenSendAsync("claims", 10);
        await using (var connection = await _database.OpenConnectionAsync())
            _ids = (await connection.QueryAsync<long>("SELECT subscriber_id FROM deliveries ORDER BY subscriber_id")).ToArray();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task RowsGivenBackAreClaimedAgainBeforeFreshOnes()
    {
        var first = await ClaimAsync(4);
        Assert.Equal(_ids[..4], first);

        await _store.ReleaseAsync(_sendId, [first[1], first[2]]);
        var second = await ClaimAsync(4);

        Assert.Equal(new[] { first[1], first[2], _ids[4], _ids[5] }.Order(), second);
        Assert.Equal(_ids[6..], await ClaimAsync(10));
        Assert.Empty(await ClaimAsync(10));
    }

    [Fact]
    public async Task AClaimWaitsForTheOneBeforeItInsteadOfPassingItsRows()
    {
        // A claim in flight: it holds the send's row and its first five rows, then fails and rolls back.
        await using var other = await _database.OpenConnectionAsync();
        await using var inFlight = await other.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand("""
            SELECT id FROM sends WHERE id = @send FOR NO KEY UPDATE;
            SELECT subscriber_id FROM deliveries WHERE send_id = @send AND subscriber_id = ANY(@first) FOR UPDATE;
            """, other, inFlight))
        {
            hold.Parameters.AddWithValue("send", _sendId);
            hold.Parameters.AddWithValue("first", _ids[..5]);
            await hold.ExecuteNonQueryAsync();
        }

        var next = ClaimAsync(5);
        for (var tries = 0; !next.IsCompleted && await Audience.ScalarAsync<long>(
                 "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") == 0; tries++)
        {
            Assert.True(tries < 300, "the claim neither waited nor finished");
            await Task.Delay(100);
        }
        await inFlight.RollbackAsync();

        // Had it skipped the held rows, it would have taken the last five and moved past the first five for good.
        var claimed = (await next).Concat(await ClaimAsync(10)).Order();
        Assert.Equal(_ids, claimed);
    }

    private async Task<long[]> ClaimAsync(int batchSize) =>
        (await _store.ClaimAsync(_sendId, [_listId], batchSize, Lease)).Select(d => d.SubscriberId).Order().ToArray();
}
