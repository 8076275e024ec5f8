using System.Text;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Bounces;
using Newsletter.Configuration;
using Newsletter.Tests.Infrastructure;

namespace Newsletter.Tests.Bounces;

/// <summary>The mailbox job against real IMAP and POP3 servers (a private Dovecot on loopback).</summary>
public sealed class BounceMailboxTests(BouncesTestApp app) : IClassFixture<BouncesTestApp>, IAsyncLifetime
{
    private PrivateDovecot _dovecot = null!;

    public async Task InitializeAsync() => _dovecot = await PrivateDovecot.StartAsync(pop3: true);

    public async Task DisposeAsync() => await _dovecot.DisposeAsync();

    [Fact]
    public async Task HandledReportsAreMovedAndUnreadableOnesStayCounted()
    {
        var (_, sendId, ids) = await app.SentAsync("mailbox", 2);
        await _dovecot.AppendAsync(Message(BounceReports.DeliveryStatus(
            app.Envelope.For(sendId, ids[0])!.Address, "mailbox-1@example.com", "5.1.1", "x@y")));
        await _dovecot.AppendAsync(Message(BounceReports.Complaint(
            app.Envelope.For(sendId, ids[1])!.Address, "mailbox-2@example.com", "x@y")));
        await _dovecot.AppendAsync(Fixture("dsn-delivered.eml"));
        await _dovecot.AppendAsync(Fixture("malformed-truncated.eml"));
        await _dovecot.AppendAsync(Fixture("out-of-office.eml"));

        var first = await Job().ReadAsync();
        var second = await Job().ReadAsync();

        Assert.Equal(new MailboxReading(Handled: 3, Suppressed: 2, Unreadable: 2), first);
        Assert.Equal(new MailboxReading(Handled: 0, Suppressed: 0, Unreadable: 2), second);
        Assert.Equal(2, await _dovecot.CountAsync("INBOX"));
        Assert.Equal(3, await _dovecot.CountAsync("Handled"));
        Assert.Equal("hard_bounce", await app.SuppressionReasonAsync("mailbox-1@example.com"));
        Assert.Equal("complaint", await app.SuppressionReasonAsync("mailbox-2@example.com"));
    }

    [Fact]
    public async Task UnreadableMessagesLeftInPlaceDoNotHideLaterBounces()
    {
        var (_, sendId, ids) = await app.SentAsync("behind", 1);
        foreach (var _ in Enumerable.Range(0, 3))
            await _dovecot.AppendAsync(Fixture("out-of-office.eml"));
        await _dovecot.AppendAsync(Message(BounceReports.DeliveryStatus(
            app.Envelope.For(sendId, ids[0])!.Address, "behind-1@example.com", "5.1.1", "x@y")));

        // Two messages a reading: the first takes two out-of-office replies, the next must not take them again.
        var first = await Job(batchSize: 2).ReadAsync();
        var second = await Job(batchSize: 2).ReadAsync();

        Assert.Equal(new MailboxReading(Handled: 0, Suppressed: 0, Unreadable: 2), first);
        Assert.Equal(new MailboxReading(Handled: 1, Suppressed: 1, Unreadable: 3), second);
        Assert.Equal("hard_bounce", await app.SuppressionReasonAsync("behind-1@example.com"));
        Assert.Equal(3, await _dovecot.CountAsync("INBOX"));
    }

    [Fact]
    public async Task OverPop3HandledReportsAreDeletedAndUnreadableOnesStay()
    {
        var (_, sendId, ids) = await app.SentAsync("pop", 1);
        await _dovecot.AppendAsync(Message(BounceReports.DeliveryStatus(
            app.Envelope.For(sendId, ids[0])!.Address, "pop-1@example.com", "5.1.1", "x@y")));
        await _dovecot.AppendAsync(Fixture("human-reply-returned-mail.eml"));

        var reading = await Job(MailboxProtocol.Pop3).ReadAsync();

        Assert.Equal(new MailboxReading(Handled: 1, Suppressed: 1, Unreadable: 1), reading);
        Assert.Equal(1, await _dovecot.CountAsync("INBOX"));
        Assert.Equal("hard_bounce", await app.SuppressionReasonAsync("pop-1@example.com"));
    }

    [Fact]
    public void WithoutAMailboxTheJobIsNotScheduled()
    {
        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        Assert.DoesNotContain(connection.GetRecurringJobs(), job => job.Id == ReadBounceMailboxJob.RecurringJobId);
    }

    private ReadBounceMailboxJob Job(MailboxProtocol protocol = MailboxProtocol.Imap, int batchSize = 500) => new(app.Classifier, app.Recorder, Options.Create(new BouncesOptions
    {
        Address = BouncesTestApp.BounceAddress,
        Mailbox = new BounceMailboxOptions
        {
            Host = "127.0.0.1",
            Protocol = protocol,
            Port = protocol == MailboxProtocol.Imap ? _dovecot.ImapPort : _dovecot.Pop3Port,
            Security = SmtpSecurity.None,
            User = PrivateDovecot.User,
            Password = PrivateDovecot.Password,
            BatchSize = batchSize,
        },
    }), NullLogger<ReadBounceMailboxJob>.Instance);

    private static MimeMessage Message(string text) =>
        MimeMessage.Load(new MemoryStream(Encoding.ASCII.GetBytes(text.Replace("\n", "\r\n"))));

    private static MimeMessage Fixture(string name) =>
        MimeMessage.Load(Path.Combine(AppContext.BaseDirectory, "Bounces", "Fixtures", name));
}
