using System.Net.Http.Headers;
using Newsletter.Operations;
using Newsletter.Sending;
using Newsletter.Tests.Infrastructure;
using Newsletter.Tests.Security;
using Newsletter.Tests.Sending;
using SmtpServer.Protocol;

namespace Newsletter.Tests.Operations;

/// <summary>
/// A real <c>serve</c> process with a scrape token and an ops login, its database and a loopback relay that defers
/// some readers once and refuses others as unknown; and one send through it, scraped from start to end, that the
/// tests share.
/// </summary>
public sealed class MetricsServer : IAsyncLifetime
{
    public const string ScrapeToken = "scrape-token-for-the-metrics-tests-0123456789";
    public const int Readers = 300;
    public const int Deferred = 5;
    public const int Bounced = 5;

    private readonly Lazy<Task<ScrapedSend>> _send;

    public MetricsServer() => _send = new Lazy<Task<ScrapedSend>>(SendWhileScrapingAsync);

    public ProcessTestFixture Processes { get; } = new();

    public AttackedServer Server { get; private set; } = null!;

    /// <summary>The send of <see cref="Readers"/> readers plus the deferred and bounced ones, and every scrape taken during it.</summary>
    public Task<ScrapedSend> Send => _send.Value;

    public async Task InitializeAsync()
    {
        await Processes.InitializeAsync();
        Processes.Smtp.RecipientRule = (address, offered) =>
            address.StartsWith("later-") && offered == 1 ? new SmtpResponse(SmtpReplyCode.MailboxUnavailable - 100, "4.2.1 Try again later")
            : address.StartsWith("gone-") ? new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "5.1.1 No such user")
            : null;
        var settings = Processes.ServerSettings(messagesPerSecond: 60);
        settings["Newsletter:Metrics:ScrapeToken"] = ScrapeToken;
        settings["Newsletter:Admin:OpsUser"] = TestApp.OpsUser;
        settings["Newsletter:Admin:OpsPasswordHash"] = OperatorCredentials.Hash(TestApp.OpsPassword);
        settings["Newsletter:Sending:RetryBaseSeconds"] = "1";
        // Every connection is recycled a few times during the send, so the reconnect counter has something to count.
        settings["Newsletter:Smtp:MessagesPerConnection"] = "40";
        Server = await AttackedServer.StartAsync(settings);
    }

    public HttpClient CreateClient() => Server.ClientFrom();

    /// <summary>A scraper's request: the token as a bearer token.</summary>
    public async Task<HttpResponseMessage> ScrapeAsync(HttpClient client, string? token = ScrapeToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }

    private async Task<ScrapedSend> SendWhileScrapingAsync()
    {
        var audience = Processes.Audience;
        var list = await audience.CreateListAsync("metrics");
        await audience.SubscribeManyAsync("reader-", Readers, list);
        await audience.SubscribeManyAsync("later-", Deferred, list);
        await audience.SubscribeManyAsync("gone-", Bounced, list);
        var sendId = (await Processes.SendNowAsync("metrics")).Id;
        // Scraping starts once the ledger is frozen, so the ledger gauge has the send's rows to show.
        await Processes.WaitForSendAsync(sendId, SendStatus.Sending, TimeSpan.FromSeconds(60));

        using var client = CreateClient();
        var scrapes = new List<PrometheusScrape>();
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (await audience.ScalarAsync<string>("SELECT status FROM sends WHERE id = @sendId", new { sendId }) != "finished")
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Send {sendId} did not finish:\n{Server.Process.Output}");
            scrapes.Add(await ReadAsync(client));
            await Task.Delay(200);
        }
        scrapes.Add(await ReadAsync(client));
        return new ScrapedSend(sendId, scrapes);
    }

    private async Task<PrometheusScrape> ReadAsync(HttpClient client)
    {
        using var response = await ScrapeAsync(client);
        response.EnsureSuccessStatusCode();
        return PrometheusScrape.Parse(await response.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync()
    {
        if (Server is not null)
            await Server.DisposeAsync();
        await Processes.DisposeAsync();
    }
}

/// <summary>A send and the scrapes taken while it ran, the last after it finished.</summary>
public sealed record ScrapedSend(long SendId, IReadOnlyList<PrometheusScrape> Scrapes);
