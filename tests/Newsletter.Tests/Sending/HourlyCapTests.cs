using Newsletter.Sending;

namespace Newsletter.Tests.Sending;

/// <summary>The app allowed 10 messages an hour.</summary>
public sealed class HourlyCappedTestApp : SendingTestApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        base.Settings.Append(new("Newsletter:Smtp:MessagesPerHour", "10"));
}

/// <summary>
/// Once the hour's budget (Smtp:MessagesPerHour) is spent, the readers still to go wait as pending rows,
/// not claimed by a batch that holds them (and a job worker) until the next hour.
/// </summary>
public sealed class HourlyCapTests(HourlyCappedTestApp app) : IClassFixture<HourlyCappedTestApp>
{
    [Fact]
    public async Task SpentHourlyBudgetGivesTheRowsBackAndCancellingThenClosesThem()
    {
        var tag = "h" + Guid.NewGuid().ToString("N")[..6];
        var list = await app.CreateListAsync(tag);
        await app.Audience.SubscribeManyAsync($"{tag}-", 25, list);
        var send = await app.Scheduler.ScheduleAsync(await app.StoreSampleIssueAsync(), [tag], at: null);
        await app.Smtp.WaitForAsync(10);

        await WaitForLedgerAsync(send.Id, "pending=15 sent=10");
        await Task.Delay(2000);
        Assert.Equal("pending=15 sent=10", await app.LedgerAsync(send.Id));
        Assert.Equal(10, app.Smtp.Messages.Count);
        Assert.Equal(SendStatus.Sending, (await app.Sends.GetSendAsync(send.Id))!.Status);
        // The send goes on in the next hour: its batches wait as scheduled jobs, not as a spin of new ones.
        Assert.InRange(await app.ScalarAsync<long>(
            "SELECT count(*) FROM hangfire.job WHERE statename = 'Scheduled' AND invocationdata::text LIKE '%SendBatchJob%'"), 1, 4);
        Assert.True(await app.ScalarAsync<long>("SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%SendBatchJob%'") < 10);

        Assert.True(await app.Scheduler.CancelAsync(send.Id));
        Assert.Equal("sent=10 skipped=15", await app.LedgerAsync(send.Id));
    }

    private async Task WaitForLedgerAsync(long sendId, string expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        string ledger;
        while ((ledger = await app.LedgerAsync(sendId)) != expected)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the ledger is {ledger}, not {expected}");
            await Task.Delay(100);
        }
    }
}
