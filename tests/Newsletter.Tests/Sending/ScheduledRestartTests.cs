using Newsletter.Sending;

namespace Newsletter.Tests.Sending;

/// <summary>
/// Restarts its app, so it has one of its own: jobs a stopping server still holds must not land in
/// another test's way.
/// </summary>
public sealed class ScheduledRestartTests(SendingTestApp app) : IClassFixture<SendingTestApp>
{
    [Fact]
    public async Task ScheduledSendFiresOnTimeAfterARestart()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var list = await app.CreateListAsync($"later-{tag}");
        await app.SubscribeAsync($"reader-{tag}@example.com", list);
        // Room for the issue's preflight (a render and a SpamAssassin run, seconds) before the send exists.
        var at = DateTime.UtcNow.AddSeconds(15);
        var send = await app.Scheduler.ScheduleAsync(await app.StoreSampleIssueAsync(), [$"later-{tag}"], at);

        await app.RestartAsync();
        var finished = await app.WaitForStatusAsync(send.Id, SendStatus.Finished);

        Assert.True(finished.FirstSentAt >= at.AddMilliseconds(-5), $"sent at {finished.FirstSentAt:O}, scheduled {at:O}");
        Assert.True(finished.FirstSentAt - at < TimeSpan.FromSeconds(3), $"first message {(finished.FirstSentAt - at)?.TotalSeconds:0.00} s late");
    }
}
