using System.Text;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Newsletter.Bounces;
using Newsletter.Sending;
using Newsletter.Subscribers;

namespace Newsletter.Tests.Bounces;

/// <summary>
/// What a bounce or complaint does once read: hard suppresses at once, soft at the limit, a complaint
/// unsubscribes everywhere and suppresses, each logged with its source; a forged or unrelated report changes
/// nothing, and the same report twice counts once.
/// </summary>
public sealed class BounceRulesTests(BouncesTestApp app) : IClassFixture<BouncesTestApp>
{
    [Fact]
    public async Task EachMessageGoesOutFromItsOwnSignedBounceAddress()
    {
        var list = await app.CreateListAsync("verp");
        var ann = await app.SubscribeAsync("ann@verp.example", list);
        var bo = await app.SubscribeAsync("bo@verp.example", list);

        var send = await app.Scheduler.ScheduleAsync(await app.StoreSampleIssueAsync(), ["verp"], at: null);
        await app.WaitForStatusAsync(send.Id, SendStatus.Finished);

        foreach (var subscriber in new[] { ann, bo })
        {
            var sender = app.Smtp.EnvelopeSenders[DeliveryMessageFactory.MessageIdFor(send.Id, subscriber, "localhost")];
            var local = sender[..sender.IndexOf('@')];
            Assert.EndsWith("@example.com", sender);
            Assert.StartsWith("bounces+", local);
            Assert.True(local.Length <= 64, $"local part of {local.Length} characters");
            Assert.Matches("^[a-z2-7]+$", local["bounces+".Length..]);
            Assert.True(app.Envelope.TryRead(local["bounces+".Length..], out var sendId, out var subscriberId));
            Assert.Equal((send.Id, subscriber), (sendId, subscriberId));
        }
    }

    [Fact]
    public async Task AHardBounceSuppressesTheAddressAtOnceAndCountsOnce()
    {
        var (_, sendId, ids) = await app.SentAsync("hard", 2);
        var report = Read(BounceReports.DeliveryStatus(Verp(sendId, ids[0]), "hard-1@example.com", "5.1.1", "unrelated@relay.example.net"));

        Assert.Equal(BounceOutcome.Suppressed, await app.Recorder.RecordAsync(report, "bounce"));
        Assert.Equal(BounceOutcome.Duplicate, await app.Recorder.RecordAsync(report, "bounce"));

        Assert.Equal("hard_bounce", await app.SuppressionReasonAsync("hard-1@example.com"));
        Assert.Null(await app.SuppressionReasonAsync("hard-2@example.com"));
        Assert.Equal("suppressed/bounce", await app.TrailAsync(ids[0]));
        Assert.Equal(new BounceCounts(sendId, 1, 0, 0), (await app.Services.GetRequiredService<BounceStore>().CountsAsync([sendId]))[0]);
        Assert.DoesNotContain("hard-1@", await app.ScalarAsync<string>("SELECT diagnostic FROM bounce_events WHERE send_id = @sendId", new { sendId }));
    }

    [Fact]
    public async Task SoftBouncesSuppressOnlyOnceTheLimitIsReachedWithinTheWindow()
    {
        var (list, first, ids) = await app.SentAsync("soft", 1);
        var sends = new[] { first, await app.SentAgainAsync(list), await app.SentAgainAsync(list) };
        var outcomes = new List<BounceOutcome>();
        foreach (var sendId in sends)
        {
            var report = Read(BounceReports.DeliveryStatus(Verp(sendId, ids[0]), "soft-1@example.com", "4.2.2", "x@y", action: "delayed"));
            outcomes.Add(await app.Recorder.RecordAsync(report, "bounce"));
        }

        Assert.Equal([BounceOutcome.Counted, BounceOutcome.Counted, BounceOutcome.Suppressed], outcomes);
        Assert.Equal("soft_bounce", await app.SuppressionReasonAsync("soft-1@example.com"));
    }

    [Fact]
    public async Task AnErasureAlsoClearsTheWordsOfTheBouncesThatCameBack()
    {
        var (_, sendId, ids) = await app.SentAsync("scrub", 1);
        await app.Recorder.RecordAsync(Read(BounceReports.DeliveryStatus(Verp(sendId, ids[0]), "scrub-1@example.com", "5.1.1", "x@y")), "bounce");

        await app.Services.GetRequiredService<SubscriberEraser>().EraseAsync("scrub-1@example.com", new ConsentContext("admin"));

        Assert.Equal(0, await app.ScalarAsync<long>(
            "SELECT count(*) FROM bounce_events WHERE send_id = @sendId AND diagnostic IS NOT NULL", new { sendId }));
        Assert.Equal(1, (await app.Services.GetRequiredService<BounceStore>().CountsAsync([sendId]))[0].Hard);
    }

    [Fact]
    public async Task AComplaintUnsubscribesFromEveryListAndSuppresses()
    {
        var (list, sendId, ids) = await app.SentAsync("complaint", 1);
        var other = await app.CreateListAsync("complaint-other");
        await app.SubscribeAsync("complaint-1@example.com", other);
        var report = Read(BounceReports.Complaint(Verp(sendId, ids[0]), "complaint-1@example.com", DeliveryMessageFactory.MessageIdFor(sendId, ids[0], "localhost")));

        Assert.Equal(BounceKind.Complaint, report.Kind);
        Assert.Equal(BounceOutcome.Suppressed, await app.Recorder.RecordAsync(report, "complaint"));

        Assert.Equal("complaint", await app.SuppressionReasonAsync("complaint-1@example.com"));
        Assert.Equal(0, await app.ScalarAsync<long>(
            "SELECT count(*) FROM subscriptions WHERE subscriber_id = @id AND status <> 'unsubscribed'", new { id = ids[0] }));
        Assert.Equal("unsubscribed/complaint unsubscribed/complaint suppressed/complaint", await app.TrailAsync(ids[0]));
        Assert.Equal(1, (await app.Services.GetRequiredService<BounceStore>().CountsAsync([sendId]))[0].Complaints);
        _ = list;
    }

    [Fact]
    public async Task AForgedTokenChangesNothing()
    {
        var (_, sendId, ids) = await app.SentAsync("forged", 1);
        var tokens = app.Services.GetRequiredService<SubscriptionTokens>();
        // A genuine token of another purpose, and a bounce token with its signature altered.
        var otherPurpose = tokens.Create(TokenPurpose.Unsubscribe, ids[0], sendId);
        var genuine = Verp(sendId, ids[0]);
        var token = genuine["bounces+".Length..genuine.IndexOf('@')];
        var altered = token[..^2] + (token[^2] == 'a' ? "b" : "a") + token[^1];

        foreach (var forged in new[] { otherPurpose, altered })
        {
            var report = Read(BounceReports.DeliveryStatus($"bounces+{forged}@example.com", "forged-1@example.com", "5.1.1",
                DeliveryMessageFactory.MessageIdFor(sendId, ids[0], "localhost")));
            Assert.Equal(BounceOutcome.Unmatched, await app.Recorder.RecordAsync(report, "bounce"));
        }
        Assert.Null(await app.SuppressionReasonAsync("forged-1@example.com"));
        Assert.Equal(0, await app.ScalarAsync<long>("SELECT count(*) FROM bounce_events WHERE send_id = @sendId", new { sendId }));
    }

    [Fact]
    public async Task ABounceForAnAddressNeverSentToChangesNothing()
    {
        var (_, sendId, _) = await app.SentAsync("never", 1);
        var list = await app.CreateListAsync("never-other");
        var stranger = await app.SubscribeAsync("stranger@example.com", list);

        // Signed by us, but the send had no message for this subscriber; and a Message-ID naming them.
        var signed = Read(BounceReports.DeliveryStatus(Verp(sendId, stranger), "stranger@example.com", "5.1.1", "x@y"));
        var byMessageId = Read(BounceReports.DeliveryStatus(BouncesTestApp.BounceAddress, "stranger@example.com", "5.1.1",
            DeliveryMessageFactory.MessageIdFor(sendId, stranger, "localhost")));

        Assert.Equal(BounceOutcome.Unmatched, await app.Recorder.RecordAsync(signed, "bounce"));
        Assert.Equal(BounceOutcome.Unmatched, await app.Recorder.RecordAsync(byMessageId, "bounce"));
        Assert.Null(await app.SuppressionReasonAsync("stranger@example.com"));
    }

    [Fact]
    public async Task WithVerpOnAMailedReportWithoutATokenChangesNothing()
    {
        var (_, sendId, ids) = await app.SentAsync("notoken", 1);
        var messageId = DeliveryMessageFactory.MessageIdFor(sendId, ids[0], "localhost");

        // Anyone can mail the bounce address, and a Message-ID is a guessable pair of numbers.
        var bounce = Read(BounceReports.DeliveryStatus(BouncesTestApp.BounceAddress, "notoken-1@example.com", "5.1.1", messageId));
        var complaint = Read(BounceReports.Complaint(null, "notoken-1@example.com", messageId));

        Assert.Equal(BounceOutcome.Unmatched, await app.Recorder.RecordAsync(bounce, "bounce"));
        Assert.Equal(BounceOutcome.Unmatched, await app.Recorder.RecordAsync(complaint, "complaint"));
        Assert.Null(await app.SuppressionReasonAsync("notoken-1@example.com"));
    }

    [Fact]
    public async Task ABounceAfterAnErasureWritesNoAddressBack()
    {
        var (_, sendId, ids) = await app.SentAsync("erased", 1);
        await app.Services.GetRequiredService<SubscriberEraser>().EraseAsync("erased-1@example.com", new ConsentContext("admin"));

        var report = Read(BounceReports.DeliveryStatus(Verp(sendId, ids[0]), "erased-1@example.com", "5.1.1", "x@y"));

        Assert.Equal(BounceOutcome.Counted, await app.Recorder.RecordAsync(report, "bounce"));
        Assert.Null(await app.SuppressionReasonAsync("erased-1@example.com"));
        Assert.Equal(0, await app.ScalarAsync<long>(
            "SELECT count(*) FROM bounce_events WHERE send_id = @sendId AND diagnostic IS NOT NULL", new { sendId }));
        Assert.Equal(0, await app.ScalarAsync<long>(
            "SELECT count(*) FROM consent_events WHERE subscriber_id = @id AND action = 'suppressed' AND source = 'bounce'", new { id = ids[0] }));
    }

    private string Verp(long sendId, long subscriberId) => app.Envelope.For(sendId, subscriberId)!.Address;

    private BounceReport Read(string report) =>
        app.Classifier.Classify(MimeMessage.Load(new MemoryStream(Encoding.ASCII.GetBytes(report.Replace("\n", "\r\n")))));
}
