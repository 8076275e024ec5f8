using Npgsql;
using Xunit.Abstractions;

namespace Newsletter.Tests.Sending;

/// <summary>
/// The CI size of the send benchmark (tests/Newsletter.Benchmarks): a few thousand recipients through the
/// real pipeline into a fast sink. Checks that nobody is lost; speed is measured by the benchmark, never here.
/// </summary>
public sealed class SendSmokeTests(SmokeSendApp app, ITestOutputHelper output) : IClassFixture<SmokeSendApp>
{
    private const int Recipients = 2_000;

    [Fact]
    public async Task EveryRecipientOfALargeSendArrivesOnce()
    {
        var list = await app.CreateListAsync("smoke");
        await using (var connection = new NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            await using var seed = new NpgsqlCommand("""
                WITH s AS (
                    INSERT INTO subscribers (email, name)
                    SELECT 'smoke' || i || '@example.com', 'Smoke ' || i FROM generate_series(1, @n) i
                    RETURNING id)
                INSERT INTO subscriptions (list_id, subscriber_id, status, confirmed_at, source)
                SELECT @list, id, 'confirmed', now(), 'import' FROM s
                """, connection);
            seed.Parameters.AddWithValue("n", Recipients);
            seed.Parameters.AddWithValue("list", list);
            await seed.ExecuteNonQueryAsync();
        }

        var send = await app.Scheduler.ScheduleAsync(await app.StoreSampleIssueAsync(), ["smoke"], at: null);
        var finished = await app.WaitForStatusAsync(send.Id, Newsletter.Sending.SendStatus.Finished, TimeSpan.FromSeconds(120));

        var subscriberIds = new List<long>();
        await using (var connection = new NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            await using var query = new NpgsqlCommand("SELECT subscriber_id FROM subscriptions WHERE list_id = @list", connection);
            query.Parameters.AddWithValue("list", list);
            await using var reader = await query.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                subscriberIds.Add(reader.GetInt64(0));
        }
        var missing = subscriberIds.Where(id => !app.Sink.MessageIds.ContainsKey($"send{send.Id}.{id}@localhost")).ToList();
        output.WriteLine($"accepted {app.Sink.Accepted}, distinct {app.Sink.MessageIds.Count}, duplicates {app.Sink.Duplicates}, " +
            $"lost {missing.Count}, first to last {app.Sink.LastAcceptedAt - app.Sink.FirstAcceptedAt}");

        Assert.Equal(Recipients, finished.Recipients);
        Assert.Empty(missing);
    }
}
