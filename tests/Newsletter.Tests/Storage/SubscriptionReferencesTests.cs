using Newsletter.Tests.Infrastructure;
using Npgsql;

namespace Newsletter.Tests.Storage;

/// <summary>The statement-level checks that stand in for the subscriptions' foreign keys (migration 0007).</summary>
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

    private async Task<long> ScalarAsync(string sql)
    {
        await using var command = _database.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
