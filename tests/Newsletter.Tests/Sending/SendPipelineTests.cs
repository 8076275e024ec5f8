using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Sending;
using SmtpServer.Protocol;
using Newsletter.Subscribers;

namespace Newsletter.Tests.Sending;

public sealed class SendPipelineTests(SendingTestApp app) : IClassFixture<SendingTestApp>
{
    [Fact]
    public async Task ExactlyTheConfirmedUnsuppressedAudienceGetsOneCopyEachWithListHeaders()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var listA = await app.CreateListAsync($"a-{tag}");
        var listB = await app.CreateListAsync($"b-{tag}");
        var expected = new List<string>();
        for (var i = 1; i <= 30; i++)
        {
            var email = $"reader{i}-{tag}@example.com";
            if (i <= 20)
                await app.SubscribeAsync(email, listA, name: $"Reader {i}");
            if (i > 10)
                await app.SubscribeAsync(email, listB);
            expected.Add(email);
        }
        await app.SubscribeAsync($"reader5-{tag}@example.com", listA, "unsubscribed");
        expected.Remove($"reader5-{tag}@example.com");
        await app.SuppressAsync($"READER25-{tag}@example.com");
        expected.Remove($"reader25-{tag}@example.com");
        await app.SubscribeAsync($"pending-{tag}@example.com", listA, "unconfirmed");

        var send = await app.Scheduler.ScheduleAsync(await app.StoreSampleIssueAsync(), [$"a-{tag}", $"b-{tag}"], at: null);
        var finished = await app.WaitForStatusAsync(send.Id, SendStatus.Finished);

        var received = app.Smtp.Messages.Where(m => m.To.Mailboxes.Single().Address.Contains(tag)).ToList();
        Assert.Equal(expected.Order(), received.Select(m => m.To.Mailboxes.Single().Address).Order());
        Assert.Equal(expected.Count, finished.Recipients);
        var one = received.Single(m => m.To.Mailboxes.Single().Address == $"reader3-{tag}@example.com");
        var subscriberId = await app.ScalarAsync<long>("SELECT id FROM subscribers WHERE email = @e", new { e = $"reader3-{tag}@example.com" });
        Assert.Equal($"send{send.Id}.{subscriberId}@localhost", one.MessageId);
        Assert.Equal("List-Unsubscribe=One-Click", one.Headers["List-Unsubscribe-Post"]);
        Assert.False(string.IsNullOrEmpty(one.Headers["List-Id"]));
        Assert.Contains("Reader 3", one.HtmlBody!);
        Assert.Contains("Reader 3", one.TextBody);
        Assert.DoesNotContain("{{", one.HtmlBody);

        var target = new Uri(one.Headers["List-Unsubscribe"]!.Trim('<', '>').Split(">, <")[0]);
        using var client = app.CreateClient();
        var response = await client.PostAsync(target.PathAndQuery,
            new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("unsubscribed", await app.ScalarAsync<string>(
            "SELECT status FROM subscriptions WHERE subscriber_id = @subscriberId AND list_id = @listA", new { subscriberId, listA }));
    }

    [Fact]
    public async Task DeferredRecipientsAreRetriedAndRejectedOnesAreSuppressed()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var list = await app.CreateListAsync($"faults-{tag}");
        for (var i = 0; i < 10; i++)
            await app.SubscribeAsync($"fine{i}-{tag}@example.com", list);
        await app.SubscribeAsync($"later-{tag}@example.com", list);
        var rejectedId = await app.SubscribeAsync($"gone-{tag}@example.com", list);
        app.Smtp.RecipientRule = (address, offered) =>
            address.StartsWith($"later-{tag}") && offered <= 2 ? new SmtpResponse(SmtpReplyCode.MailboxUnavailable - 100, "4.2.1 Try again later")
            : address.StartsWith($"gone-{tag}") ? new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "5.1.1 No such user")
            : null;

        var send = await app.Scheduler.ScheduleAsync(await app.StoreSampleIssueAsync(), [$"faults-{tag}"], at: null);
        await app.WaitForStatusAsync(send.Id, SendStatus.Finished);

        var received = app.Smtp.Messages.Select(m => m.To.Mailboxes.Single().Address).Where(a => a.Contains(tag)).ToList();
        Assert.Equal(11, received.Count);
        Assert.Single(received, a => a.StartsWith("later-"));
        Assert.DoesNotContain(received, a => a.StartsWith("gone-"));
        Assert.Equal(3, await app.ScalarAsync<int>(
            "SELECT attempts FROM deliveries WHERE send_id = @id AND email = @e", new { id = send.Id, e = $"later-{tag}@example.com" }));
        Assert.Equal("failed", await app.ScalarAsync<string>(
            "SELECT status FROM deliveries WHERE send_id = @id AND subscriber_id = @rejectedId", new { id = send.Id, rejectedId }));
        Assert.Equal("hard_bounce", await app.ScalarAsync<string>(
            "SELECT reason FROM suppressions WHERE email_lower = @e", new { e = $"gone-{tag}@example.com" }));
        Assert.Equal(1L, await app.ScalarAsync<long>(
            "SELECT count(*) FROM consent_events WHERE subscriber_id = @rejectedId AND action = 'suppressed_hard_bounce'", new { rejectedId }));
    }

    [Fact]
    public async Task UnsubscribingAfterTheAudienceIsFrozenStillPreventsTheMail()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var list = await app.CreateListAsync($"late-{tag}");
        await app.SubscribeAsync($"stays-{tag}@example.com", list);
        await app.SubscribeAsync($"leaves-{tag}@example.com", list);
        var sendId = await app.Sends.CreateSendAsync(await app.StoreSampleIssueAsync(), [list], DateTime.UtcNow, null);
        var starter = app.Services.GetRequiredService<StartSendJob>();
        await starter.PrepareAsync(sendId, CancellationToken.None);

        await app.SubscribeAsync($"leaves-{tag}@example.com", list, "unsubscribed");
        await starter.RunAsync(sendId, CancellationToken.None);
        var send = await app.WaitForStatusAsync(sendId, SendStatus.Finished);

        var received = app.Smtp.Messages.Select(m => m.To.Mailboxes.Single().Address).Where(a => a.Contains(tag)).ToList();
        Assert.Equal([$"stays-{tag}@example.com"], received);
        Assert.Equal("skipped", await app.ScalarAsync<string>(
            "SELECT status FROM deliveries WHERE send_id = @id AND email = @e", new { id = send.Id, e = $"leaves-{tag}@example.com" }));
    }

    [Fact]
    public async Task SendsToUnknownListsOrInThePastAreRefusedAndCreateNothing()
    {
        var issueId = await app.StoreSampleIssueAsync();
        var before = await app.ScalarAsync<long>("SELECT count(*) FROM sends");

        var unknown = await Assert.ThrowsAsync<UnknownListException>(() => app.Scheduler.ScheduleAsync(issueId, ["no-such-list"], null));
        var list = await CreateAnyListAsync();
        var past = await Assert.ThrowsAsync<SendRequestException>(() =>
            app.Scheduler.ScheduleAsync(issueId, [list], DateTime.UtcNow.AddMinutes(-5)));

        Assert.Contains("no-such-list", unknown.Message);
        Assert.Contains("in the past", past.Message);
        Assert.Equal(before, await app.ScalarAsync<long>("SELECT count(*) FROM sends"));
    }

    private async Task<string> CreateAnyListAsync()
    {
        var slug = $"any-{Guid.NewGuid():N}"[..12];
        await app.CreateListAsync(slug);
        return slug;
    }
}
