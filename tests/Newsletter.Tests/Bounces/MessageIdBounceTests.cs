using System.Text;
using MimeKit;
using Newsletter.Bounces;
using Newsletter.Sending;

namespace Newsletter.Tests.Bounces;

/// <summary>The app without a VERP address: bounces are tied to their delivery by the returned Message-ID.</summary>
public sealed class MessageIdBouncesApp : BouncesTestApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [.. base.Settings, new("Newsletter:Bounces:Address", "")];
}

/// <summary>
/// Without VERP a Message-ID names the delivery, but it is only a pair of numbers: the report must also name the
/// address that message went to, or it changes nothing.
/// </summary>
public sealed class MessageIdBounceTests(MessageIdBouncesApp app) : IClassFixture<MessageIdBouncesApp>
{
    [Fact]
    public async Task AMessageIdBounceMustNameTheAddressTheMessageWentTo()
    {
        var (_, sendId, ids) = await app.SentAsync("mid", 2);
        var messageId = DeliveryMessageFactory.MessageIdFor(sendId, ids[0], "localhost");

        var wrongAddress = Read(BounceReports.DeliveryStatus(BouncesTestApp.BounceAddress, "mid-2@example.com", "5.1.1", messageId));
        var rightAddress = Read(BounceReports.DeliveryStatus(BouncesTestApp.BounceAddress, "MID-1@example.com", "5.1.1", messageId));

        Assert.False(app.Envelope.Enabled);
        Assert.Equal(BounceOutcome.Unmatched, await app.Recorder.RecordAsync(wrongAddress, "bounce"));
        Assert.Null(await app.SuppressionReasonAsync("mid-2@example.com"));
        Assert.Equal(BounceOutcome.Suppressed, await app.Recorder.RecordAsync(rightAddress, "bounce"));
        Assert.Equal("hard_bounce", await app.SuppressionReasonAsync("mid-1@example.com"));
    }

    [Fact]
    public async Task AComplaintThatNamesNoAddressChangesNothing()
    {
        var (_, sendId, ids) = await app.SentAsync("anon", 1);
        // A feedback report with the complainant redacted and no returned headers: only a guessable Message-ID is left.
        var redacted = new BounceReport(BounceKind.Complaint, null, null, "feedback-type abuse", null,
            DeliveryMessageFactory.MessageIdFor(sendId, ids[0], "localhost"));

        Assert.Equal(BounceOutcome.Unmatched, await app.Recorder.RecordAsync(redacted, "complaint"));
        Assert.Null(await app.SuppressionReasonAsync("anon-1@example.com"));
        Assert.DoesNotContain("complaint", await app.TrailAsync(ids[0]));
    }

    private BounceReport Read(string report) =>
        app.Classifier.Classify(MimeMessage.Load(new MemoryStream(Encoding.ASCII.GetBytes(report.Replace("\n", "\r\n")))));
}
