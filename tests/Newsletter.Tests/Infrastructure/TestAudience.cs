using Dapper;
using Npgsql;

namespace Newsletter.Tests.Infrastructure;

/// <summary>Lists, subscribers and consent states written straight into a test database.</summary>
public sealed class TestAudience(string connectionString)
{
    public async Task<long> CreateListAsync(string slug)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<long>(
            "INSERT INTO lists (slug, name, double_opt_in) VALUES (@slug, @slug, false) RETURNING id", new { slug });
    }

    /// <summary>Adds (or finds) a subscriber and sets their subscription to <paramref name="status"/> on the list.</summary>
    public async Task<long> SubscribeAsync(string email, long listId, string status = "confirmed", string name = "")
    {
        await using var connection = new NpgsqlConnection(connectionString);
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

    /// <summary><paramref name="count"/> confirmed subscribers <c>{prefix}{n}@example.com</c> on the list, in one statement.</summary>
    public async Task SubscribeManyAsync(string prefix, int count, long listId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.ExecuteAsync("""
            WITH added AS (
                INSERT INTO subscribers (email, name)
                SELECT @prefix || n || '@example.com', 'Reader ' || n FROM generate_series(1, @count) AS n
                RETURNING id)
            INSERT INTO subscriptions (list_id, subscriber_id, status) SELECT @listId, id, 'confirmed' FROM added
            """, new { prefix, count, listId });
    }

    /// <summary>
    /// A list of <paramref name="recipients"/> confirmed subscribers and a send to it that is sending, with one
    /// pending delivery per subscriber, as a freeze leaves them.
    /// </summary>
    public async Task<(long ListId, long SendId)> CreateFrozenSendAsync(string slug, int recipients)
    {
        var listId = await CreateListAsync(slug);
        await SubscribeManyAsync(slug + "-", recipients, listId);
        await using var connection = new NpgsqlConnection(connectionString);
        var issue = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO issues (slug, title, source) VALUES (@slug, @slug, '') RETURNING id", new { slug });
        var sendId = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO sends (issue_id, list_ids, status, scheduled_at) VALUES (@issue, ARRAY[@listId], 'sending', now()) RETURNING id",
            new { issue, listId });
        await connection.ExecuteAsync("""
            INSERT INTO deliveries (send_id, subscriber_id, list_id, email, name)
            SELECT @sendId, s.id, @listId, s.email, s.name
            FROM subscriptions sub JOIN subscribers s ON s.id = sub.subscriber_id WHERE sub.list_id = @listId
            """, new { sendId, listId });
        return (listId, sendId);
    }

    public async Task SuppressAsync(string email)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.ExecuteAsync(
            "INSERT INTO suppressions (email_lower, reason) VALUES (lower(@email), 'manual')", new { email });
    }

    public async Task<int> ExecuteAsync(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteAsync(sql, parameters);
    }

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<T>(sql, parameters) ?? throw new InvalidOperationException($"No value from {sql}");
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return (await connection.QueryAsync<T>(sql, parameters)).ToList();
    }
}
