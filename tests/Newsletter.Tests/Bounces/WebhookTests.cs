using System.Net;
using System.Security.Cryptography;
using Newsletter.Sending;

namespace Newsletter.Tests.Bounces;

/// <summary>
/// <c>POST /webhooks/{provider}</c> for each provider: an authentic report is recorded, a forged one is 401 and
/// changes nothing, the same report again counts once.
/// </summary>
public sealed class WebhookTests(WebhookBouncesApp app) : IClassFixture<WebhookBouncesApp>
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task AnSesBounceSignedBySnsIsRecordedOnce(int signatureVersion)
    {
        var (_, sendId, ids) = await app.SentAsync($"ses{signatureVersion}", 1);
        var email = $"ses{signatureVersion}-1@example.com";
        var sesEvent = WebhookRequests.SesBounce(email, DeliveryMessageFactory.MessageIdFor(sendId, ids[0], "localhost"));

        await AssertRecordedOnceAsync(sendId, email, "hard_bounce", "ses",
            () => WebhookRequests.Ses(app.SnsKey, sesEvent, signatureVersion));
    }

    [Fact]
    public async Task AnSesBounceWithAMessageIdOfItsOwnIsMatchedByTheAddress()
    {
        var (_, sendId, _) = await app.SentAsync("ses-own-id", 1);
        const string email = "ses-own-id-1@example.com";
        var sesEvent = WebhookRequests.SesBounce(email, "0100018c-ses-own-id@email.amazonses.com");

        await AssertRecordedOnceAsync(sendId, email, "hard_bounce", "ses", () => WebhookRequests.Ses(app.SnsKey, sesEvent));
    }

    [Fact]
    public async Task AnSesNotificationWithABadSignatureIsRefused()
    {
        var (_, sendId, ids) = await app.SentAsync("ses-forged", 1);
        var sesEvent = WebhookRequests.SesBounce("ses-forged-1@example.com", DeliveryMessageFactory.MessageIdFor(sendId, ids[0], "localhost"));
        using var otherKey = RSA.Create(2048);

        await AssertForgedAsync(sendId, "ses-forged-1@example.com", WebhookRequests.Ses(otherKey, sesEvent));
        // Signed by the right key, then altered: a bounce turned into a complaint.
        await AssertForgedAsync(sendId, "ses-forged-1@example.com", WebhookRequests.Ses(app.SnsKey, sesEvent,
            tamper: fields => new(fields) { ["Message"] = fields["Message"].Replace("Bounce", "Complaint", StringComparison.Ordinal) }));
        // Signed by SNS's own key, as every account's topics are, but published to a topic of someone else's.
        await AssertForgedAsync(sendId, "ses-forged-1@example.com",
            WebhookRequests.Ses(app.SnsKey, sesEvent, topic: "arn:aws:sns:us-east-1:999999999999:not-ours"));
    }

    [Fact]
    public async Task AnSnsSubscriptionConfirmationIsCheckedAndVisitsOnlyAmazon()
    {
        using var client = app.CreateClient();
        using var otherKey = RSA.Create(2048);

        var forged = await client.SendAsync(WebhookRequests.SnsConfirmation(otherKey, "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription"));
        var elsewhere = await client.SendAsync(WebhookRequests.SnsConfirmation(app.SnsKey, "https://attacker.example/confirm"));
        var bucket = await client.SendAsync(WebhookRequests.SnsConfirmation(app.SnsKey, "https://sns.attacker.s3.amazonaws.com/confirm"));

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, elsewhere.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bucket.StatusCode);
    }

    [Fact]
    public async Task APostmarkBounceWithItsCredentialsIsRecordedOnce()
    {
        var (_, sendId, _) = await app.SentAsync("postmark", 1);
        const string email = "postmark-1@example.com";

        await AssertForgedAsync(sendId, email, WebhookRequests.Postmark(WebhookBouncesApp.PostmarkUser, "wrong-password", email));
        await AssertRecordedOnceAsync(sendId, email, "hard_bounce", "postmark",
            () => WebhookRequests.Postmark(WebhookBouncesApp.PostmarkUser, WebhookBouncesApp.PostmarkPassword, email));
    }

    [Fact]
    public async Task AMailgunComplaintWithItsSignatureIsRecordedOnce()
    {
        var (_, sendId, ids) = await app.SentAsync("mailgun", 1);
        const string email = "mailgun-1@example.com";
        var messageId = DeliveryMessageFactory.MessageIdFor(sendId, ids[0], "localhost");

        await AssertForgedAsync(sendId, email, WebhookRequests.Mailgun("not-the-key", email, messageId));
        // A genuine signature from an hour ago, replayed: Mailgun's signature does not cover the event.
        await AssertForgedAsync(sendId, email, WebhookRequests.Mailgun(WebhookBouncesApp.MailgunKey, email, messageId,
            DateTimeOffset.UtcNow.AddHours(-1)));
        await AssertRecordedOnceAsync(sendId, email, "complaint", "mailgun",
            () => WebhookRequests.Mailgun(WebhookBouncesApp.MailgunKey, email, messageId));
    }

    [Fact]
    public async Task AGenericReportWithItsSignatureIsRecordedOnce()
    {
        var (_, sendId, _) = await app.SentAsync("generic", 1);
        const string email = "generic-1@example.com";

        await AssertForgedAsync(sendId, email, WebhookRequests.Generic("not-the-secret", email, "hard"));
        await AssertRecordedOnceAsync(sendId, email, "hard_bounce", "generic",
            () => WebhookRequests.Generic(WebhookBouncesApp.GenericSecret, email, "hard"));
    }

    [Fact]
    public async Task AProviderNotConfiguredIsNotFound()
    {
        using var client = app.CreateClient();
        var response = await client.PostAsync("/webhooks/sendgrid", new StringContent("[]"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task AssertRecordedOnceAsync(long sendId, string email, string reason, string source, Func<HttpRequestMessage> request)
    {
        using var client = app.CreateClient();
        var first = await client.SendAsync(request());
        var replay = await client.SendAsync(request());

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(reason, await app.SuppressionReasonAsync(email));
        Assert.Equal(1, await app.ScalarAsync<long>(
            "SELECT count(*) FROM bounce_events WHERE send_id = @sendId AND source = @source", new { sendId, source }));
    }

    private async Task AssertForgedAsync(long sendId, string email, HttpRequestMessage request)
    {
        using var client = app.CreateClient();
        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(await app.SuppressionReasonAsync(email));
        Assert.Equal(0, await app.ScalarAsync<long>("SELECT count(*) FROM bounce_events WHERE send_id = @sendId", new { sendId }));
    }
}
