using System.Net;
using Newsletter.Sending;
using Newsletter.SmtpSink;
using Newsletter.Tests.Infrastructure;
using Newsletter.Tests.Security;
using Xunit.Abstractions;

namespace Newsletter.Tests.Sending;

/// <summary>The processes' database, and a relay fast enough that the pace it sees is ours, not its own.</summary>
public sealed class ThreeNodeFixture : ProcessTestFixture
{
    public FastSmtpSink Relay { get; } = new();

    public override async Task DisposeAsync()
    {
        await Relay.DisposeAsync();
        await base.DisposeAsync();
    }
}

/// <summary>
/// Three <c>serve</c> processes, each with its own data folder, on one database behind one relay: together they keep
/// to one MessagesPerSecond, a sign-in made on one is good on another, and a node killed mid-send loses nobody.
/// </summary>
public sealed class ThreeNodeTests(ThreeNodeFixture fixture, ITestOutputHelper output) : IClassFixture<ThreeNodeFixture>
{
    private const int Recipients = 20_000;
    private const int MessagesPerSecond = 400;

    [Fact]
    public async Task ThreeNodesKeepOneRateShareSignInsAndFinishASendWhenOneIsKilled()
    {
        var list = await fixture.Audience.CreateListAsync("nodes");
        await fixture.Audience.SubscribeManyAsync("nodes", Recipients, list);
        var settings = fixture.ServerSettings(MessagesPerSecond);
        settings["Newsletter:Smtp:Port"] = fixture.Relay.Port.ToString();
        var serversBefore = await fixture.Audience.ScalarAsync<long>("SELECT count(*) FROM hangfire.server");

        // Started together, as a fleet is: they must not each make a first key of their own.
        var starting = Enumerable.Range(0, 3).Select(_ => AttackedServer.StartAsync(settings)).ToList();
        AttackedServer[] nodes;
        try
        {
            nodes = await Task.WhenAll(starting);
        }
        catch
        {
            // A node that did not come up must not leave the others running.
            foreach (var started in starting.Where(t => t.IsCompletedSuccessfully))
                await (await started).DisposeAsync();
            throw;
        }
        try
        {
            Assert.Equal(3, nodes.Select(n => n.Process.DataDirectory).Distinct().Count());
            // Each process runs three Hangfire servers: transactional, default, bulk.
            await fixture.WaitForServersAsync((int)serversBefore + 9);

            // Signed in on node 1, the cookie opens the author's pages on node 3.
            var jar = new CookieContainer();
            using var atNode1 = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = jar }) { BaseAddress = nodes[0].BaseAddress };
            Assert.Equal(HttpStatusCode.Redirect, (await TestApp.LogInAsync(atNode1, "admin", "process-test")).StatusCode);
            var cookie = jar.GetCookieHeader(nodes[0].BaseAddress);
            Assert.Contains("newsletter.operator=", cookie);
            using var atNode3 = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = nodes[2].BaseAddress };
            Assert.Equal(HttpStatusCode.Redirect, (await atNode3.GetAsync("/admin/issues")).StatusCode);
            using var withCookie = new HttpRequestMessage(HttpMethod.Get, "/admin/issues");
            withCookie.Headers.Add("Cookie", cookie);
            Assert.Equal(HttpStatusCode.OK, (await atNode3.SendAsync(withCookie)).StatusCode);

            var sendId = (await fixture.SendNowAsync("nodes")).Id;
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (fixture.Relay.MessageIds.Count < Recipients / 4)
            {
                Assert.True(DateTime.UtcNow < deadline && nodes.All(n => !n.Process.HasExited), "the nodes sent too little");
                await Task.Delay(50);
            }
            nodes[1].Process.Kill();
            var acceptedAtKill = fixture.Relay.MessageIds.Count;

            var killedBatches = await fixture.Audience.ScalarAsync<long>("""
                SELECT count(*) FROM hangfire.state s JOIN hangfire.job j ON j.id = s.jobid
                WHERE s.name = 'Processing' AND j.invocationdata::text LIKE '%SendBatchJob%'
                  AND split_part(s.data::jsonb ->> 'ServerId', ':', 2) = @pid
                """, new { pid = nodes[1].Process.Id.ToString() });
            Assert.True(killedBatches > 0, "the killed node had not taken part in the send; the kill proves nothing");

            var status = await fixture.WaitForSendAsync(sendId, SendStatus.Finished, TimeSpan.FromSeconds(180));
            Assert.True(status == SendStatus.Finished, $"send is {status}:\n{nodes[0].Process.Output}\n{nodes[2].Process.Output}");
            var received = fixture.Relay.MessageIds.Where(m => m.Key.StartsWith($"send{sendId}.", StringComparison.Ordinal)).ToList();
            Assert.Equal(Recipients, received.Count);
            Assert.Equal(Recipients, await fixture.Audience.ScalarAsync<long>(
                "SELECT count(*) FROM deliveries WHERE send_id = @sendId AND status = 'sent'", new { sendId }));

            // The first and the last second are partial: only the full ones between say what the relay was held to.
            var seconds = fixture.Relay.AcceptedPerSecond.OrderBy(s => s.Key).Select(s => s.Value).ToList();
            var full = seconds.Skip(1).SkipLast(1).ToList();
            var sorted = full.Order().ToList();
            output.WriteLine($"accepted before the kill: {acceptedAtKill}; batches on the killed node: {killedBatches}; duplicates: {received.Sum(m => m.Value) - Recipients}; " +
                $"seconds: {seconds.Count}; per full second max {sorted[^1]}, median {sorted[sorted.Count / 2]}, min {sorted[0]}");
            output.WriteLine(string.Join(" ", seconds));
            Assert.All(full, count => Assert.InRange(count, 0, MessagesPerSecond * 11 / 10));
        }
        finally
        {
            foreach (var node in nodes)
                await node.DisposeAsync();
        }
    }
}
