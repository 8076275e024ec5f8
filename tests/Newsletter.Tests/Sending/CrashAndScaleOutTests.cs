using Newsletter.Sending;
using Newsletter.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Newsletter.Tests.Sending;

/// <summary>Real server processes: one killed with SIGKILL in the middle of a send, two sharing one.</summary>
public sealed class CrashAndScaleOutTests(ProcessTestFixture fixture, ITestOutputHelper output) : IClassFixture<ProcessTestFixture>
{
    [Fact]
    public async Task SendKilledMidwayIsFinishedByANewProcessWithoutLossAndWithBoundedDuplicates()
    {
        const int recipients = 300;
        var list = await fixture.Audience.CreateListAsync("crash");
        await fixture.Audience.SubscribeManyAsync("crash", recipients, list);

        long sendId;
        int acceptedAtKill;
        await using (var first = ServerProcess.Start(fixture.ServerSettings(messagesPerSecond: 60)))
        {
            sendId = (await fixture.SendNowAsync("crash")).Id;
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (fixture.Received(sendId).Count < 60)
            {
                Assert.True(DateTime.UtcNow < deadline && !first.HasExited, $"The first server sent too little:\n{first.Output}");
                await Task.Delay(50);
            }
            first.Kill();
            acceptedAtKill = fixture.Received(sendId).Values.Sum();
        }
        Assert.True(acceptedAtKill < recipients, "the send was over before the kill; the test proves nothing");

        // Once the dead process's leases run out, a new server recovers the rows at start.
        await Task.Delay(TimeSpan.FromSeconds(ProcessTestFixture.LeaseSeconds + 1));
        await using var second = ServerProcess.Start(fixture.ServerSettings());
        var status = await fixture.WaitForSendAsync(sendId, SendStatus.Finished, TimeSpan.FromSeconds(90));

        var received = fixture.Received(sendId);
        var duplicates = received.Values.Sum() - received.Count;
        output.WriteLine($"accepted before the kill: {acceptedAtKill}; distinct delivered: {received.Count}/{recipients}; duplicates: {duplicates}");
        Assert.True(status == SendStatus.Finished, $"send is {status}:\n{second.Output}");
        Assert.Equal(recipients, received.Count);
        // The bound: one message per connection between the relay's 250 and the hand-over to the writer,
        // plus what the relay accepted during the writer's last flush (well under one at 60 msg/s).
        Assert.InRange(duplicates, 0, ProcessTestFixture.PoolSize + 1);
        Assert.Equal(recipients, await fixture.Audience.ScalarAsync<long>(
            "SELECT count(*) FROM deliveries WHERE send_id = @sendId AND status = 'sent'", new { sendId }));
    }

    [Fact]
    public async Task TwoServerProcessesShareOneSendAndNoRecipientGetsTwoCopies()
    {
        const int recipients = 400;
        var list = await fixture.Audience.CreateListAsync("shared");
        await fixture.Audience.SubscribeManyAsync("shared", recipients, list);
        var serversBefore = await fixture.Audience.ScalarAsync<long>("SELECT count(*) FROM hangfire.server");

        await using var first = ServerProcess.Start(fixture.ServerSettings());
        await using var second = ServerProcess.Start(fixture.ServerSettings());
        // Each process runs three Hangfire servers: transactional, default, bulk.
        await fixture.WaitForServersAsync((int)serversBefore + 6);
        var sendId = (await fixture.SendNowAsync("shared")).Id;
        var status = await fixture.WaitForSendAsync(sendId, SendStatus.Finished, TimeSpan.FromSeconds(90));

        var received = fixture.Received(sendId);
        Assert.True(status == SendStatus.Finished, $"send is {status}:\n{first.Output}\n{second.Output}");
        Assert.Equal(recipients, received.Count);
        Assert.All(received, pair => Assert.Equal(1, pair.Value));
        var batchServers = await fixture.Audience.ScalarAsync<string>("""
            SELECT string_agg(DISTINCT split_part(s.data::jsonb ->> 'ServerId', ':', 2), ',')
            FROM hangfire.state s JOIN hangfire.job j ON j.id = s.jobid
            WHERE s.name = 'Processing' AND j.invocationdata::text LIKE '%SendBatchJob%'
            """);
        output.WriteLine($"batch jobs ran in processes {batchServers}; servers {first.Id} and {second.Id}");
        Assert.Contains(first.Id.ToString(), batchServers.Split(','));
        Assert.Contains(second.Id.ToString(), batchServers.Split(','));
    }
}
