using Dapper;
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
        await app.Audience.SubscribeManyAsync("smoke", Recipients, list);

        var send = await app.Scheduler.ScheduleAsync(await app.StoreSampleIssueAsync(), ["smoke"], at: null);
        var finished = await app.WaitForStatusAsync(send.Id, Newsletter.Sending.SendStatus.Finished, TimeSpan.FromSeconds(120));

        IEnumerable<long> subscriberIds;
        await using (var connection = new NpgsqlConnection(app.ConnectionString))
            subscriberIds = await connection.QueryAsync<long>("SELECT subscriber_id FROM subscriptions WHERE list_id = @list", new { list });
        var missing = subscriberIds.Where(id => !app.Sink.MessageIds.ContainsKey($"send{send.Id}.{id}@localhost")).ToList();
        output.WriteLine($"accepted {app.Sink.Accepted}, distinct {app.Sink.MessageIds.Count}, duplicates {app.Sink.Duplicates}, " +
            $"lost {missing.Count}, first to last {app.Sink.LastAcceptedAt - app.Sink.FirstAcceptedAt}");

        Assert.Equal(Recipients, finished.Recipients);
        Assert.Empty(missing);
    }
}
