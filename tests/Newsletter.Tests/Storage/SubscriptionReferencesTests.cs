using Newsletter.Tests.Infrastructure;
using Npgsql;

namespace Newsletter.Tests.Storage;

/// <summary>The statement-level checks that stand in for the subscriptions' foreign keys (migrations 0007 and 0008).</summary>
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
        // A rolled-back import, then VACUUM: hundreds of pages and, by the statistics, one live row.
        await using (var rolledBack = await _database.OpenConnectionAsync())
        await using (var transaction = await rolledBack.BeginTransactionAsync())
        {
            await using var insert = new NpgsqlCommand(
                "INSERT INTO subscribers (email) SELECT 'gone' || i || '@example.com' FROM generate_series(1, 30000) i", rolledBack, transaction);
            await insert.ExecuteNonQueryAsync();
            await transaction.RollbackAsync();
        }
        await ScalarAsync("INSERT INTO subscribers (email) VALUES ('kept@example.com') RETURNING 1");
        await ScalarAsync("VACUUM subscribers");
        Assert.True(await ScalarAsync("SELECT (reltuples <= 1 AND relpages > 100)::int FROM pg_class WHERE relname = 'subscribers'") == 1,
            "the statistics should describe a nearly empty table of many pages");

        // auto_explain reports the plans of the statements the trigger runs.
        await using var connection = await _database.OpenConnectionAsync();
        var plans = new List<string>();
        connection.Notice += (_, e) => plans.Add(e.Notice.MessageText);
        foreach (var setting in new[] { "LOAD 'auto_explain'", "SET auto_explain.log_min_duration = 0",
                     "SET auto_explain.log_nested_statements = on", "SET auto_explain.log_level = notice" })
        {
            await using var set = new NpgsqlCommand(setting, connection);
            await set.ExecuteNonQueryAsync();
        }
        await using (var import = new NpgsqlCommand($"""
            WITH s AS (INSERT INTO subscribers (email) SELECT 'new' || i || '@example.com' FROM generate_series(1, 5000) i RETURNING id)
            INSERT INTO subscriptions (list_id, subscriber_id, status) SELECT {list}, id, 'confirmed' FROM s
            """, connection))
            Assert.Equal(5000, await import.ExecuteNonQueryAsync());

        var check = Assert.Single(plans, plan => plan.Contains("FROM subscribers s WHERE s.id = n.subscriber_id"));
        Assert.Contains("Index Cond: (id = n.subscriber_id)", check);
        Assert.DoesNotContain("Materialize", check);
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var command = _database.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
