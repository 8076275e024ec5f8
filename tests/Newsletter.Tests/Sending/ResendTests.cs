using Newsletter.Sending;
using SmtpServer.Protocol;

namespace Newsletter.Tests.Sending;

/// <summary>A recipient the relay defers once has failed for good, so an earlier send can leave failures behind.</summary>
public sealed class OneAttemptSendingTestApp : SendingTestApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        base.Settings.Append(new("Newsletter:Sending:MaxAttempts", "1"));
}

/// <summary>An issue goes to a list once; a resend says whom it is for.</summary>
public sealed class ResendTests(OneAttemptSendingTestApp app) : IClassFixture<OneAttemptSendingTestApp>
{
    [Fact]
    public async Task ASecondSendOfAnIssueToAListThatHadItIsRefusedNamingTheEarlierSend()
    {
        var tag = Tag();
        var list = await app.CreateListAsync($"twice-{tag}");
        await app.SubscribeAsync($"reader-{tag}@example.com", list);
        var issueId = await app.StoreSampleIssueAsync();
        var first = await app.Scheduler.ScheduleAsync(issueId, [$"twice-{tag}"], at: null);
        await app.WaitForStatusAsync(first.Id, SendStatus.Finished);
        var sends = await app.ScalarAsync<long>("SELECT count(*) FROM sends");

        var refused = await Assert.ThrowsAsync<IssueAlreadySentException>(() =>
            app.Scheduler.ScheduleAsync(issueId, [$"twice-{tag}"], at: null));

        Assert.Equal(first.Id, refused.EarlierSend.Id);
        Assert.Contains($"send {first.Id}", refused.Message);
        Assert.Contains(first.IssueSlug, refused.Message);
        Assert.DoesNotContain("--", refused.Message);
        Assert.Equal(sends, await app.ScalarAsync<long>("SELECT count(*) FROM sends"));
    }

    [Fact]
    public async Task TwoSendsOfAnIssueRequestedAtOnceCreateOneAndRefuseTheOther()
    {
        var tag = Tag();
        await app.CreateListAsync($"race-{tag}");
        var issueId = await app.StoreSampleIssueAsync();
        var at = DateTime.UtcNow.AddHours(1);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            try
            {
                return (Created: await app.Scheduler.ScheduleAsync(issueId, [$"race-{tag}"], at), Refused: (IssueAlreadySentException?)null);
            }
            catch (IssueAlreadySentException e)
            {
                return (Created: (SendRecord?)null, Refused: e);
            }
        })));

        var created = Assert.Single(attempts, a => a.Created is not null).Created!;
        Assert.All(attempts.Where(a => a.Created is null), a => Assert.Equal(created.Id, a.Refused!.EarlierSend.Id));
    }

    [Fact]
    public async Task ASendOfAnIssueScheduledForAListRefusesAnotherToAnOverlappingSetOfLists()
    {
        var tag = Tag();
        await app.CreateListAsync($"a-{tag}");
        await app.CreateListAsync($"b-{tag}");
        var issueId = await app.StoreSampleIssueAsync();
        var scheduled = await app.Scheduler.ScheduleAsync(issueId, [$"a-{tag}"], DateTime.UtcNow.AddHours(1));

        var refused = await Assert.ThrowsAsync<IssueAlreadySentException>(() =>
            app.Scheduler.ScheduleAsync(issueId, [$"b-{tag}", $"a-{tag}"], at: null));
        var elsewhere = await app.Scheduler.ScheduleAsync(issueId, [$"b-{tag}"], DateTime.UtcNow.AddHours(1));

        Assert.Equal(scheduled.Id, refused.EarlierSend.Id);
        Assert.Contains("scheduled", refused.Message);
        Assert.NotEqual(scheduled.Id, elsewhere.Id);
        Assert.True(await app.Scheduler.CancelAsync(scheduled.Id));
        Assert.True(await app.Scheduler.CancelAsync(elsewhere.Id));
    }

    [Fact]
    public async Task ResendOfTheMissedReachesOnlyNewReadersAndEarlierFailures()
    {
        var (tag, issueId, first) = await SendWithOneFailureAsync();
        await app.SubscribeAsync($"new-{tag}@example.com", await ListIdAsync(tag));

        var again = await app.Scheduler.ScheduleAsync(issueId, [$"resend-{tag}"], at: null, resend: ResendMode.Missed);
        await app.WaitForStatusAsync(again.Id, SendStatus.Finished);

        Assert.NotEqual(first, again.Id);
        Assert.Equal([$"flaky-{tag}@example.com", $"new-{tag}@example.com"], Received(tag, after: first).Order());
    }

    [Fact]
    public async Task ResendToAllReachesEveryReaderAgain()
    {
        var (tag, issueId, first) = await SendWithOneFailureAsync();
        await app.SubscribeAsync($"new-{tag}@example.com", await ListIdAsync(tag));

        var again = await app.Scheduler.ScheduleAsync(issueId, [$"resend-{tag}"], at: null, resend: ResendMode.All);
        await app.WaitForStatusAsync(again.Id, SendStatus.Finished);

        Assert.Equal(
            [$"flaky-{tag}@example.com", $"got-a-{tag}@example.com", $"got-b-{tag}@example.com", $"new-{tag}@example.com"],
            Received(tag, after: first).Order());
    }

    /// <summary>A list of three that gets the issue, one of them deferred by the relay and so failed.</summary>
    private async Task<(string Tag, long IssueId, long SendId)> SendWithOneFailureAsync()
    {
        var tag = Tag();
        var list = await app.CreateListAsync($"resend-{tag}");
        foreach (var reader in new[] { "got-a", "got-b", "flaky" })
            await app.SubscribeAsync($"{reader}-{tag}@example.com", list);
        var issueId = await app.StoreSampleIssueAsync();
        app.Smtp.RecipientRule = (address, _) =>
            address == $"flaky-{tag}@example.com" ? new SmtpResponse(SmtpReplyCode.MailboxUnavailable - 100, "4.2.1 Try again later") : null;
        try
        {
            var first = await app.Scheduler.ScheduleAsync(issueId, [$"resend-{tag}"], at: null);
            await app.WaitForStatusAsync(first.Id, SendStatus.Finished);
            Assert.Equal([$"got-a-{tag}@example.com", $"got-b-{tag}@example.com"], Received(tag, after: 0).Order());
            Assert.Equal("failed", await app.ScalarAsync<string>(
                "SELECT status FROM deliveries WHERE send_id = @id AND email = @e", new { id = first.Id, e = $"flaky-{tag}@example.com" }));
            return (tag, issueId, first.Id);
        }
        finally
        {
            app.Smtp.RecipientRule = null;
        }
    }

    private Task<long> ListIdAsync(string tag) =>
        app.ScalarAsync<long>("SELECT id FROM lists WHERE slug = @slug", new { slug = $"resend-{tag}" });

    /// <summary>Addresses with the tag that got a message of a send later than <paramref name="after"/>.</summary>
    private List<string> Received(string tag, long after) =>
        app.Smtp.Messages
            .Where(m => SendOf(m.MessageId) > after)
            .Select(m => m.To.Mailboxes.Single().Address)
            .Where(a => a.Contains(tag))
            .ToList();

    /// <summary>The send a message belongs to, from its Message-ID (<c>send{id}.…</c>).</summary>
    private static long SendOf(string? messageId) =>
        messageId is not null && messageId.StartsWith("send", StringComparison.Ordinal)
            ? long.Parse(messageId[4..messageId.IndexOf('.')])
            : -1;

    private static string Tag() => Guid.NewGuid().ToString("N")[..6];
}
