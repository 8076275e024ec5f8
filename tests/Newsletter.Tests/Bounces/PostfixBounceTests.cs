using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Bounces;
using Newsletter.Sending;
using Xunit.Abstractions;

namespace Newsletter.Tests.Bounces;

/// <summary>
/// End to end with real parts on loopback: the engine sends through Postfix, a peer refuses some readers after
/// Postfix has queued their messages, Postfix writes its own DSNs to the VERP addresses, Dovecot stores them,
/// and the mailbox job suppresses exactly those readers.
/// </summary>
public sealed class PostfixBounceTests(PostfixBouncesApp app, ITestOutputHelper output) : IClassFixture<PostfixBouncesApp>
{
    [Fact]
    public async Task TheMailboxJobSuppressesExactlyTheReadersThePeerRefused()
    {
        var list = await app.CreateListAsync("e2e");
        var readers = new[] { "ok-1@far.test", "gone-1@far.test", "ok-2@far.test", "gone-2@far.test", "ok-3@far.test" };
        foreach (var reader in readers)
            await app.SubscribeAsync(reader, list);

        var send = await app.Scheduler.ScheduleAsync(await app.StoreSampleIssueAsync(), ["e2e"], at: null);
        await app.WaitForStatusAsync(send.Id, SendStatus.Finished);
        // Postfix took every message: the refusals come later, as DSNs.
        Assert.Equal("sent=5", await app.LedgerAsync(send.Id));

        var job = app.Services.GetRequiredService<ReadBounceMailboxJob>();
        var suppressed = 0;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (suppressed < 2 && DateTime.UtcNow < deadline)
        {
            suppressed += (await job.ReadAsync()).Suppressed;
            await Task.Delay(250);
        }
        output.WriteLine(app.Postfix.Log);

        foreach (var reader in readers)
            Assert.Equal(reader.StartsWith("gone", StringComparison.Ordinal) ? "hard_bounce" : null, await app.SuppressionReasonAsync(reader));
        Assert.Equal(new BounceCounts(send.Id, 2, 0, 0), (await app.Services.GetRequiredService<BounceStore>().CountsAsync([send.Id]))[0]);
        // The refusals are in; the three accepted messages may still be on their way from Postfix.
        var delivered = DateTime.UtcNow.AddSeconds(30);
        while (app.Smtp.Messages.Count < 3 && DateTime.UtcNow < delivered)
            await Task.Delay(100);
        Assert.Equal(3, app.Smtp.Messages.Count);
        Assert.Equal(2, await app.Dovecot.CountAsync("Handled"));
        Assert.Equal(0, await app.Dovecot.CountAsync("INBOX"));
        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        Assert.Contains(connection.GetRecurringJobs(), recurring => recurring.Id == ReadBounceMailboxJob.RecurringJobId);
    }
}
