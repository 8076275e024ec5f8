using Newsletter.Sending;

namespace Newsletter.Tests.Sending;

/// <summary>
/// Recipients refused by a real SMTP peer with the reply lines real relays send: each ends in the state its
/// reply calls for, in the ledger (<c>deliveries</c>) and in <c>suppressions</c>.
/// </summary>
public sealed class RelayReplyFaultTests(FaultyRelayTestApp app) : IClassFixture<FaultyRelayTestApp>, IDisposable
{
    private readonly string _tag = "r" + Guid.NewGuid().ToString("N")[..6];

    public void Dispose()
    {
        app.Relay.RecipientReply = null;
        app.Relay.SenderReply = null;
    }

    [Fact]
    public async Task TemporaryRefusalsAtRcptAreDeferredThenDeliveredAndNobodyIsSuppressed()
    {
        // Every third reader is refused twice before being taken: greylisting, then a full disk.
        app.Relay.RecipientReply = (address, offered) => Number(address) % 3 == 0 && offered <= 2
            ? offered == 1
                ? $"450 4.2.0 <{address}>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.com.html"
                : "452 4.3.1 Insufficient system storage"
            : null;

        var sendId = await app.SendToNewListAsync(_tag, 15);
        await app.WaitForStatusAsync(sendId, SendStatus.Finished);

        Assert.Equal("sent=15", await app.LedgerAsync(sendId));
        Assert.Equal((15, 1), app.DeliveredTo(_tag));
        Assert.Equal(5L, await app.ScalarAsync<long>(
            "SELECT count(*) FROM deliveries WHERE send_id = @sendId AND attempts = 3", new { sendId }));
        Assert.Equal(0L, await app.SuppressedAsync(_tag));
    }

    [Fact]
    public async Task UnknownMailboxesFailAndAreSuppressedWhileTheOthersAreDelivered()
    {
        app.Relay.RecipientReply = (address, _) => Number(address) switch
        {
            3 => "550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n" +
                 "550-5.1.1 double-checking the recipient's email address for typos or\r\n" +
                 "550 5.1.1 unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser a1-20020a05 - gsmtp",
            7 => $"550 5.1.1 <{address}>: Recipient address rejected: User unknown in virtual mailbox table",
            _ => null,
        };

        var sendId = await app.SendToNewListAsync(_tag, 10);
        await app.WaitForStatusAsync(sendId, SendStatus.Finished);

        Assert.Equal("failed=2 sent=8", await app.LedgerAsync(sendId));
        Assert.Equal((8, 1), app.DeliveredTo(_tag));
        Assert.Equal(2L, await app.ScalarAsync<long>(
            "SELECT count(*) FROM suppressions WHERE reason = 'hard_bounce' AND email_lower IN (@a, @b)",
            new { a = $"{_tag}-3@example.com", b = $"{_tag}-7@example.com" }));
        Assert.Equal(2L, await app.SuppressedAsync(_tag));
        Assert.Contains("5.1.1", await app.ScalarAsync<string>(
            "SELECT last_error FROM deliveries WHERE send_id = @sendId AND email = @e", new { sendId, e = $"{_tag}-7@example.com" }));
    }

    [Fact]
    public async Task RelayRefusingEveryRecipientByPolicyPausesTheSendAtOnceAndSuppressesNobody()
    {
        app.Relay.RecipientReply = (address, _) => $"554 5.7.1 <{address}>: Relay access denied";

        var sendId = await app.SendToNewListAsync(_tag, 60);
        var paused = await app.WaitForStatusAsync(sendId, SendStatus.Paused);

        Assert.Contains("5.7.1", paused.StatusReason);
        Assert.Contains("Relay access denied", paused.StatusReason);
        await WaitForNoneInHandAsync(sendId);
        Assert.Equal("pending=60", await app.LedgerAsync(sendId));
        Assert.Equal(0L, await app.SuppressedAsync(_tag));

        // Once the relay lets us through again, resuming sends every one of them.
        app.Relay.RecipientReply = null;
        Assert.True(await app.Scheduler.ResumeAsync(sendId));
        await app.WaitForStatusAsync(sendId, SendStatus.Finished);
        Assert.Equal("sent=60", await app.LedgerAsync(sendId));
        Assert.Equal((60, 1), app.DeliveredTo(_tag));
    }

    [Fact]
    public async Task SenderRefusedByPolicyPausesTheSendAtOnceAndFailsNobody()
    {
        app.Relay.SenderReply = "550 5.7.1 Service unavailable, Client host [127.0.0.1] blocked using Spamhaus; https://www.spamhaus.org/query/ip/127.0.0.1";

        var sendId = await app.SendToNewListAsync(_tag, 30);
        var paused = await app.WaitForStatusAsync(sendId, SendStatus.Paused);

        Assert.Contains("Spamhaus", paused.StatusReason);
        await WaitForNoneInHandAsync(sendId);
        Assert.Equal("pending=30", await app.LedgerAsync(sendId));
        Assert.Equal(0L, await app.SuppressedAsync(_tag));
    }

    private static int Number(string address) => int.Parse(address[(address.IndexOf('-') + 1)..address.IndexOf('@')]);

    /// <summary>A pause takes effect at each batch's next step: waits until every batch has given its rows back.</summary>
    private async Task WaitForNoneInHandAsync(long sendId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await app.ScalarAsync<long>("SELECT count(*) FROM deliveries WHERE send_id = @sendId AND status = 'sending'", new { sendId }) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"rows still in hand: {await app.LedgerAsync(sendId)}");
            await Task.Delay(100);
        }
    }
}
