using Dapper;
using Newsletter.Sending;
using Newsletter.Tests.Infrastructure;
using Npgsql;

namespace Newsletter.Tests.Sending;

/// <summary>
/// A message costs the ledger two updates of its row, claim and flush: both should stay in place on the
/// row's page (HOT, migration 0011), without new index entries.
/// </summary>
public sealed class LedgerUpdatesInPlaceTests : IAsyncLifetime
{
    private const int Recipients = 2000;

    private string _connectionString = "";
    private long _listId;
    private long _sendId;

    private TestAudience Audience => new(_connectionString);

    public async Task InitializeAsync()
    {
        _connectionString = await TestPostgres.CreateMigratedDatabaseAsync(nameof(LedgerUpdatesInPlaceTests));
        (_listId, _sendId) = await Audience.CreateFrozenSendAsync("in-place", Recipients);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ClaimsAndFlushesUpdateRowsInPlace()
    {
        await using (var database = NpgsqlDataSource.Create(_connectionString))
        {
            var store = new DeliveryStore(database);
            IReadOnlyList<ClaimedDelivery> claimed;
            while ((claimed = await store.ClaimAsync(_sendId, [_listId], 500, TimeSpan.FromMinutes(1))).Count > 0)
            {
                foreach (var chunk in claimed.Chunk(50))
                {
                    var outcomes = new DeliveryOutcomes();
                    outcomes.Sent.AddRange(chunk.Select(d => (d.SubscriberId, DateTime.UtcNow)));
                    await store.RecordAsync(_sendId, outcomes);
                }
            }
        }
        // The store's backends report their counts as they exit, which closing the pool makes them do.
        NpgsqlConnection.ClearAllPools();

        var (updates, inPlace) = (0L, 0L);
        await using var connection = new NpgsqlConnection(_connectionString);
        for (var tries = 0; updates < 2 * Recipients && tries < 100; tries++)
        {
            await Task.Delay(100);
            // A fresh snapshot of the statistics each time: within a transaction PostgreSQL keeps the first.
            (updates, inPlace) = await connection.QuerySingleAsync<(long, long)>(
                "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = 'deliveries'");
        }
        Assert.Equal(2 * Recipients, updates);
        Assert.True(inPlace >= 0.9 * updates, $"{inPlace} of {updates} updates were in place");
        Assert.Equal((long)Recipients, await Audience.ScalarAsync<long>(
            "SELECT count(*) FROM deliveries WHERE send_id = @send AND status = 'sent'", new { send = _sendId }));
    }
}
