using Newsletter.Tests.Infrastructure;
using Npgsql;

namespace Newsletter.Tests.Storage;

/// <summary>The statement-level checks that stand in for the subscriptions' foreign keys (migrations 0007 to 0009).</summary>
public sealed class SubscriptionReferencesTests : IAsyncLifetime
{
    private NpgsqlDataSource _database = null!;

    public async Task InitializeAsync() =>
        _database = NpgsqlDataSource.Create(await TestPostgres.CreateMigratedDatabaseAsync(nameof(SubscriptionReferencesTests)));

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task SubscriptionOfAMissingSubscriberIsRefusedWithItsId()
    {
        var list = await ScalarAsync("INSERT INTO lists (slug, name) VALUES ('refs', 'Refs') RETURNING id");
        var known = await ScalarAsync("INSERT INTO subscribers (email) VALUES ('known@example.com') RETURNING id");

        var refused = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(
            $"INSERT INTO subscriptions (list_id, subscriber_id, status) VALUES ({list}, {known}, 'confirmed'), ({list}, 987654, 'confirmed') RETURNING 1"));

        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, refused.SqlState);
        Assert.Contains("subscriber 987654", refused.MessageText);
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM subscriptions"));
    }

    [Fact]
    public async Task SubscriptionToAMissingListIsRefusedWithItsId()
    {
        var known = await ScalarAsync("INSERT INTO subscribers (email) VALUES ('nolist@example.com') RETURNING id");

        var refused = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(
            $"INSERT INTO subscriptions (list_id, subscriber_id, status) VALUES (424242, {known}, 'confirmed') RETURNING 1"));

        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, refused.SqlState);
        Assert.Contains("list 424242", refused.MessageText);
    }

    [Fact]
    public async Task DeletingASubscriberOrAListDeletesTheirSubscriptions()
    {
        var kept = await ScalarAsync("INSERT INTO lists (slug, name) VALUES ('kept', 'Kept') RETURNING id");
        var dropped = await ScalarAsync("INSERT INTO lists (slug, name) VALUES ('dropped', 'Dropped') RETURNING id");
        var leaving = await ScalarAsync("INSERT INTO subscribers (email) VALUES ('leaving@example.com') RETURNING id");
        var staying = await ScalarAsync("INSERT INTO subscribers (email) VALUES ('staying@example.com') RETURNING id");
        await ScalarAsync($"""
            INSERT INTO subscriptions (list_id, subscriber_id, status)
            VALUES ({kept}, {leaving}, 'confirmed'), ({kept}, {staying}, 'confirmed'),
                   ({dropped}, {leaving}, 'confirmed'), ({dropped}, {staying}, 'confirmed')
            RETURNING 1
            """);

        await ScalarAsync($"WITH gone AS (DELETE FROM subscribers WHERE id = {leaving} RETURNING 1) SELECT count(*) FROM gone");
        await ScalarAsync($"WITH gone AS (DELETE FROM lists WHERE id = {dropped} RETURNING 1) SELECT count(*) FROM gone");

        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM subscriptions"));
        Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM subscriptions WHERE list_id = {kept} AND subscriber_id = {staying}"));
    }

    [Fact]
    public async Task SubscribersAreProbedOneByOneEvenWhenTheirStatisticsSayTheTableIsEmpty()
    {
        var list = await ScalarAsync("INSERT INTO lists (slug, name) VALUES ('stale', 'Stale') RETURNING id");
        await LeaveStatisticsAtOneRowAsync("subscribers",
            "INSERT INTO subscribers (email) SELECT 'gone' || i || '@example.com' FROM generate_series(1, 30000) i",
            "INSERT INTO subscribers (email) VALUES ('kept@example.com')");
        await using var connection = await _database.OpenConnectionAsync();
        var plans = await ExplainNestedStatementsAsync(connection);

        await using (var insert = new NpgsqlCommand($"""
            WITH s AS (INSERT INTO subscribers (email) SELECT 'new' || i || '@example.com' FROM generate_series(1, 5000) i RETURNING id)
            INSERT INTO subscriptions (list_id, subscriber_id, status) SELECT {list}, id, 'confirmed' FROM s
            """, connection))
            Assert.Equal(5000, await insert.ExecuteNonQueryAsync());

        var check = Assert.Single(plans, plan => plan.Contains("FROM subscribers s WHERE s.id = n.subscriber_id"));
        Assert.Contains("Index Cond: (id = n.subscriber_id)", check);
        Assert.DoesNotContain("Materialize", check);
    }

    [Fact]
    public async Task SubscriptionUpdatedWhileItsSubscriberIsDeletedIsDeletedToo()
    {
        var list = await ScalarAsync("INSERT INTO lists (slug, name) VALUES ('moving', 'Moving') RETURNING id");
        var subscriber = await ScalarAsync("INSERT INTO subscribers (email) VALUES ('moving@example.com') RETURNING id");
        await ScalarAsync($"INSERT INTO subscriptions (list_id, subscriber_id, status) VALUES ({list}, {subscriber}, 'confirmed') RETURNING 1");

        // An unsubscribe holds the row while the delete reads it: the row the delete then finds has moved.
        await using var other = await _database.OpenConnectionAsync();
        await using var update = await other.BeginTransactionAsync();
        await using (var unsubscribe = new NpgsqlCommand(
            $"UPDATE subscriptions SET status = 'unsubscribed' WHERE subscriber_id = {subscriber}", other, update))
            await unsubscribe.ExecuteNonQueryAsync();
        var delete = ScalarAsync($"WITH gone AS (DELETE FROM subscribers WHERE id = {subscriber} RETURNING 1) SELECT count(*) FROM gone");
        for (var tries = 0; await ScalarAsync("SELECT count(*) FROM pg_locks WHERE locktype = 'transactionid' AND NOT granted") == 0; tries++)
        {
            Assert.False(delete.IsCompleted || tries > 300, "the delete should wait for the unsubscribe");
            await Task.Delay(100);
        }
        await update.CommitAsync();

        Assert.Equal(1L, await delete);
        Assert.Equal(0L, await ScalarAsync($"SELECT count(*) FROM subscriptions WHERE subscriber_id = {subscriber}"));
    }

    [Fact]
    public async Task DeletedSubscribersSubscriptionsAreProbedByIndexEvenWhenStatisticsSayThereAreNone()
    {
        var list = await ScalarAsync("INSERT INTO lists (slug, name) VALUES ('cascade', 'Cascade') RETURNING id");
        var kept = await ScalarAsync("INSERT INTO subscribers (email) VALUES ('stays@example.com') RETURNING id");
        await LeaveStatisticsAtOneRowAsync("subscriptions", $"""
            WITH s AS (INSERT INTO subscribers (email) SELECT 'gone' || i || '@example.com' FROM generate_series(1, 30000) i RETURNING id)
            INSERT INTO subscriptions (list_id, subscriber_id, status) SELECT {list}, id, 'confirmed' FROM s
            """, $"INSERT INTO subscriptions (list_id, subscriber_id, status) VALUES ({list}, {kept}, 'confirmed')");
        await ScalarAsync($"""
            WITH s AS (INSERT INTO subscribers (email) SELECT 'leaving' || i || '@example.com' FROM generate_series(1, 30000) i RETURNING id),
                 sub AS (INSERT INTO subscriptions (list_id, subscriber_id, status) SELECT {list}, id, 'confirmed' FROM s RETURNING 1)
            SELECT count(*) FROM sub
            """);
        await using var connection = await _database.OpenConnectionAsync();
        var plans = await ExplainNestedStatementsAsync(connection);

        // Probed, the delete takes well under a second; joined to a sequential scan it ran past a minute.
        await using (var delete = new NpgsqlCommand("DELETE FROM subscribers WHERE email LIKE 'leaving%'", connection) { CommandTimeout = 30 })
            Assert.Equal(30000, await delete.ExecuteNonQueryAsync());

        var cascade = Assert.Single(plans, plan => plan.Contains("DELETE FROM subscriptions"));
        Assert.Contains("Index Cond: (subscriber_id = ANY ($0))", cascade);
        Assert.DoesNotContain("Seq Scan on subscriptions", cascade);
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM subscriptions"));
        Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM subscriptions WHERE subscriber_id = {kept}"));
    }

    /// <summary>
    /// A rolled-back bulk insert, one row kept after it, then VACUUM: hundreds of pages and, by the
    /// statistics, one live row, which is what autovacuum leaves after a failed import.
    /// </summary>
    private async Task LeaveStatisticsAtOneRowAsync(string table, string rolledBackInsert, string keptInsert)
    {
        await using (var connection = await _database.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using var insert = new NpgsqlCommand(rolledBackInsert, connection, transaction);
            await insert.ExecuteNonQueryAsync();
            await transaction.RollbackAsync();
        }
        await using (var keep = _database.CreateCommand(keptInsert))
            await keep.ExecuteNonQueryAsync();
        await ScalarAsync($"VACUUM {table}");
        Assert.True(await ScalarAsync($"SELECT (reltuples <= 1 AND relpages > 100)::int FROM pg_class WHERE relname = '{table}'") == 1,
            $"the statistics of {table} should describe a nearly empty table of many pages");
    }

    /// <summary>auto_explain sends the plan of every statement, triggers' included, to this connection as a notice.</summary>
    private static async Task<List<string>> ExplainNestedStatementsAsync(NpgsqlConnection connection)
    {
        var plans = new List<string>();
        connection.Notice += (_, e) => plans.Add(e.Notice.MessageText);
        foreach (var setting in new[] { "LOAD 'auto_explain'", "SET auto_explain.log_min_duration = 0",
                     "SET auto_explain.log_nested_statements = on", "SET auto_explain.log_level = notice" })
        {
            await using var set = new NpgsqlCommand(setting, connection);
            await set.ExecuteNonQueryAsync();
        }
        return plans;
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var command = _database.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
