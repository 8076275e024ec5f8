using System.Text;
using MimeKit;
using Newsletter.Bounces;
using Newsletter.Tests.Infrastructure;

namespace Newsletter.Tests.Bounces;

/// <summary>
/// What came back from a send is shown next to what went: in <c>sends show</c>, the author's send page and the
/// dashboard's; each suppression with its source in <c>subscribers show</c> and the subscriber's admin page.
/// </summary>
public sealed class BounceReportingTests(BouncesTestApp app) : IClassFixture<BouncesTestApp>
{
    [Fact]
    public async Task BouncesAndComplaintsAreCountedWhereverTheSendIsShown()
    {
        var (_, sendId, ids) = await app.SentAsync("report", 3);
        await RecordAsync(BounceReports.DeliveryStatus(app.Envelope.For(sendId, ids[0])!.Address, "report-1@example.com", "5.1.1", "x@y"), "bounce");
        await RecordAsync(BounceReports.DeliveryStatus(app.Envelope.For(sendId, ids[1])!.Address, "report-2@example.com", "4.2.2", "x@y", "delayed"), "bounce");
        await RecordAsync(BounceReports.Complaint(app.Envelope.For(sendId, ids[2])!.Address, "report-3@example.com", "x@y"), "complaint");

        var (code, shown) = await RunAsync("sends", "show", sendId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var (_, listed) = await RunAsync("sends");
        var (_, subscriber) = await RunAsync("subscribers", "show", "report-1@example.com");
        using var admin = app.CreateClient();
        await TestApp.LogInAsync(admin, TestApp.AdminUser, TestApp.AdminPassword);
        var authorPage = await admin.GetStringAsync($"/admin/sends/{sendId}");
        var dashboardPage = await admin.GetStringAsync($"/hangfire/sends/{sendId}");
        var authorList = await admin.GetStringAsync("/admin/sends");
        var dashboardList = await admin.GetStringAsync("/hangfire/sends");
        var subscriberPage = await admin.GetStringAsync($"/admin/subscribers/{ids[0]}");

        Assert.Equal(0, code);
        Assert.Contains("bounced 2 (hard 1, soft 1), complained 1", shown);
        Assert.Matches($@"(?m)^\s*{sendId} +finished .* 2 +1  report$", listed);
        Assert.Matches(@"suppressed.*bounce", subscriber);
        Assert.Contains("came back: hard 5.1.1 via bounce", subscriber);
        Assert.Contains("came back: hard 5.1.1 via bounce", subscriberPage);
        Assert.Contains("1 hard / 1 soft bounced, 1 complained", authorList);
        Assert.Matches($@"Send {sendId}</a>[\s\S]*?<td>1 / 1</td>\s*<td>1</td>", dashboardList);
        Assert.Matches(@"Bounced \(hard / soft\)</dt><dd>1 / 1</dd>", authorPage);
        Assert.Matches(@"Complained</dt><dd>1</dd>", authorPage);
        Assert.Matches(@"Bounced \(hard / soft\)</th><td>1 / 1</td>", dashboardPage);
        Assert.Matches(@"Complained</th><td>1</td>", dashboardPage);
        Assert.Matches(@"<strong>suppressed</strong>[\s\S]*by bounce", subscriberPage);
    }

    private async Task RecordAsync(string report, string source) =>
        await app.Recorder.RecordAsync(app.Classifier.Classify(
            MimeMessage.Load(new MemoryStream(Encoding.ASCII.GetBytes(report.Replace("\n", "\r\n"))))), source);

    private async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        await using var process = ServerProcess.Run(new Dictionary<string, string> { ["ConnectionStrings:Newsletter"] = app.ConnectionString }, arguments);
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exitCode, process.Output);
    }
}
