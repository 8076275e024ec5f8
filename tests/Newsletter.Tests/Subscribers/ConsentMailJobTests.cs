using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;
using Newsletter.Mail;
using Newsletter.Sending;
using Newsletter.Subscribers;
using Newsletter.Tests.Infrastructure;
using Newsletter.Tests.Rendering;
using Npgsql;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Storage;

namespace Newsletter.Tests.Subscribers;

/// <summary>The confirmation job against a relay that refuses one mailbox for good.</summary>
[Collection(RenderingCollection.Name)]
public sealed class ConsentMailJobTests(RenderingFixture rendering) : IAsyncLifetime
{
    private readonly CancellationTokenSource _stop = new();
    private NpgsqlDataSource _database = null!;
    private SmtpServer.SmtpServer _relay = null!;
    private Task _relayRunning = Task.CompletedTask;
    private int _port;

    public async Task InitializeAsync()
    {
        _database = NpgsqlDataSource.Create(await TestPostgres.CreateMigratedDatabaseAsync(nameof(ConsentMailJobTests)));
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            _port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new RefuseGone());
        _relay = new SmtpServer.SmtpServer(new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, _port))).Build(), services);
        _relayRunning = _relay.StartAsync(_stop.Token);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _relay.Shutdown();
        await Task.WhenAny(_relayRunning, Task.Delay(TimeSpan.FromSeconds(5)));
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task ARecipientRefusedForGoodIsSuppressedNotRetried()
    {
        var store = new SubscriberStore(_database);
        var list = (await store.CreateListAsync("refused", "Refused", "", doubleOptIn: true))!;
        var signUp = await store.SubscribeAsync(list, "gone@example.com", "", new ConsentContext("test"));
        var newsletter = Options.Create(new NewsletterOptions());
        var links = new SubscriptionLinks(SubscriptionTokens.FromSecret(new byte[32]), newsletter);
        var job = new SendConfirmationJob(store, new ConsentMails(rendering.Renderer, new IssueMessageBuilder(newsletter.Value), links),
            new TransactionalMailer(Options.Create(new SmtpOptions { Host = "127.0.0.1", Port = _port })),
            Options.Create(new SubscribersOptions()), TimeProvider.System, NullLogger<SendConfirmationJob>.Instance);

        await job.RunAsync(signUp.SubscriberId!.Value, list.Id, CancellationToken.None);

        await using var reason = _database.CreateCommand("SELECT reason FROM suppressions WHERE email_lower = 'gone@example.com'");
        Assert.Equal("hard_bounce", await reason.ExecuteScalarAsync());
        await using var logged = _database.CreateCommand(
            $"SELECT source FROM consent_events WHERE action = 'suppressed' AND subscriber_id = {signUp.SubscriberId}");
        Assert.Equal("consent-mail", await logged.ExecuteScalarAsync());
    }

    private sealed class RefuseGone : IMailboxFilter
    {
        public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken) =>
            Task.FromResult(true);

        public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken) =>
            Task.FromResult(to.User != "gone");
    }
}
