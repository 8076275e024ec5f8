using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Newsletter.Tests.Infrastructure;

namespace Newsletter.Tests.Operations;

/// <summary>
/// <c>/metrics</c> of a real server: closed to anyone without the scrape token or an operator's sign-in, and during a
/// send its delivery counters follow the ledger, ending equal to its rows.
/// </summary>
public sealed partial class MetricsTests(MetricsServer server) : IClassFixture<MetricsServer>
{
    private static readonly string DashboardPath =
        Path.Combine(ServerProcess.RepositoryRoot, "src", "Newsletter", "Operations", "grafana-dashboard.json");

    [Fact]
    public async Task MetricsWithoutCredentialsAreRefusedWith401NotSentToSignIn()
    {
        using var client = server.CreateClient();

        var response = await server.ScrapeAsync(client, token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.DoesNotContain("newsletter_", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("not-the-token")]
    [InlineData(MetricsServer.ScrapeToken + "x")]
    [InlineData("")]
    public async Task MetricsWithAWrongTokenAreRefusedWith401(string token)
    {
        using var client = server.CreateClient();

        var response = await server.ScrapeAsync(client, token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ScraperWithTheTokenGetsPrometheusText()
    {
        using var client = server.CreateClient();

        var response = await server.ScrapeAsync(client);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("# TYPE ", text);
        Assert.Contains("newsletter_jobs_enqueued", PrometheusScrape.Parse(text).Names);
    }

    [Fact]
    public async Task SignedInOpsMayReadTheMetrics()
    {
        using var client = server.CreateClient();
        await TestApp.LogInAsync(client, TestApp.OpsUser, TestApp.OpsPassword);

        var response = await server.ScrapeAsync(client, token: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("# TYPE ", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SentCounterScrapedDuringASendEndsEqualToTheLedger()
    {
        var send = await server.Send;
        var sendLabel = ("send_id", send.SendId.ToString());
        var sentSeen = send.Scrapes.Select(s => s.Value("newsletter_messages_sent_total", sendLabel) ?? 0).ToList();
        var last = send.Scrapes[^1];

        var ledger = (await server.Processes.Audience.QueryAsync<(string Status, long Rows)>(
                "SELECT status, count(*) FROM deliveries WHERE send_id = @sendId GROUP BY status", new { sendId = send.SendId }))
            .ToDictionary(r => r.Status, r => r.Rows);
        Assert.Equal(ledger["sent"], last.Value("newsletter_messages_sent_total", sendLabel));
        Assert.Equal(MetricsServer.Readers + MetricsServer.Deferred, ledger["sent"]);
        Assert.Equal(ledger["failed"], last.Value("newsletter_messages_failed_total", sendLabel));
        Assert.Equal(MetricsServer.Bounced, last.Value("newsletter_messages_bounced_total", sendLabel));
        Assert.Equal(MetricsServer.Deferred, last.Value("newsletter_messages_deferred_total", sendLabel));
        // A counter never goes back, and the scrapes saw the send under way, not only its end.
        Assert.Equal(sentSeen.Order(), sentSeen);
        Assert.Contains(send.Scrapes, s => s.Samples.Any(x => x.Name == "newsletter_ledger_rows" && x.Labels.GetValueOrDefault("send_id") == send.SendId.ToString()));
        Assert.True(send.Scrapes.Max(s => s.Value("newsletter_smtp_reconnects_total", ("reason", "recycled")) ?? 0) > 0);
        Assert.Equal(0, last.Value("newsletter_smtp_connections_in_use"));
    }

    [Fact]
    public async Task GrafanaDashboardQueriesOnlyMetricsTheServerExports()
    {
        var send = await server.Send;
        var exported = send.Scrapes.SelectMany(s => s.Names).ToHashSet();
        var labels = send.Scrapes.SelectMany(s => s.Samples).SelectMany(s => s.Labels.Keys).ToHashSet();

        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(DashboardPath));
        var root = dashboard.RootElement;
        var queried = root.GetProperty("panels").EnumerateArray()
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .SelectMany(t => Name().Matches(RangeOrString().Replace(t.GetProperty("expr").GetString()!, "")).Select(m => m.Value))
            .Where(name => !PromQlWords.Contains(name))
            .ToHashSet();

        Assert.True(root.GetProperty("schemaVersion").GetInt32() > 0);
        Assert.Contains("newsletter_messages_sent_total", queried);
        Assert.All(queried, name => Assert.True(exported.Contains(name) || labels.Contains(name),
            $"the dashboard queries {name}, which no scrape had as a metric or a label"));
    }

    // What a PromQL expression names besides metrics and labels; instance and job are the labels Prometheus adds.
    private static readonly HashSet<string> PromQlWords = ["sum", "max", "rate", "increase", "histogram_quantile", "by", "instance", "job"];

    [GeneratedRegex(@"[a-zA-Z_][a-zA-Z0-9_]*")]
    private static partial Regex Name();

    [GeneratedRegex("""\[[^\]]*\]|"[^"]*" """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex RangeOrString();
}
