using System.Text.Json;
using Newsletter.SmtpSink;
using Newsletter.Tests.Infrastructure;
using Newsletter.Tests.Rendering;

namespace Newsletter.Tests.Operations;

/// <summary>
/// Ops switch <c>serve</c> to JSON console logs with the built-in formatter; every line a send writes then
/// names the send, and a line about one recipient names that delivery, with no reader's name or address.
/// </summary>
public sealed class JsonLogTests
{
    [Fact]
    public async Task EveryLineOfASendCarriesItsSendAndALineAboutOneRecipientItsDelivery()
    {
        var connectionString = await TestPostgres.CreateMigratedDatabaseAsync("json_logs");
        var audience = new TestAudience(connectionString);
        var list = await audience.CreateListAsync("logged");
        await audience.SubscribeManyAsync("logged-reader-", 40, list);
        // Every tenth DATA hangs up: the batch logs each reconnect, about the recipient in hand.
        await using var relay = new FastSmtpSink { DropDuringDataEvery = 10 };
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:Newsletter"] = connectionString,
            ["Newsletter:Smtp:Host"] = "127.0.0.1",
            ["Newsletter:Smtp:Port"] = relay.Port.ToString(),
            ["Logging:Console:FormatterName"] = "json",
            ["Logging:Console:FormatterOptions:IncludeScopes"] = "true",
            ["Logging:LogLevel:Newsletter"] = "Information",
        };
        await using var server = ServerProcess.Serve(settings, TestApp.FreePort());
        await using (var send = ServerProcess.Run(settings, "send", RenderingFixture.SamplePath, "--list", "logged", "--now"))
            Assert.True(await send.WaitForExitAsync(TimeSpan.FromSeconds(120)) == 0, send.Output);
        var sendId = await audience.ScalarAsync<long>("SELECT id FROM sends");
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (await audience.ScalarAsync<string>("SELECT status FROM sends WHERE id = @sendId", new { sendId }) != "finished")
        {
            Assert.True(DateTime.UtcNow < deadline, $"send {sendId} did not finish:\n{server.Output}");
            await Task.Delay(200);
        }
        await Task.Delay(500);
        var slug = await audience.ScalarAsync<string>("SELECT i.slug FROM sends s JOIN issues i ON i.id = s.issue_id WHERE s.id = @sendId", new { sendId });

        var lines = server.Output.Split('\n').Where(line => line.StartsWith('{')).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var ofTheSend = lines.Where(line => line.GetProperty("Category").GetString()!.StartsWith("Newsletter.Sending.S", StringComparison.Ordinal)).ToList();
        Assert.Contains(ofTheSend, line => line.GetProperty("Message").GetString() == $"Send {sendId} of {slug} started");
        var reconnects = ofTheSend.Where(line => line.GetProperty("Message").GetString()!.Contains("SMTP connection lost")).ToList();
        Assert.True(reconnects.Count >= 3, $"{reconnects.Count} reconnects logged: the test proves little");
        Assert.All(ofTheSend, line => Assert.Equal(sendId, Scope(line, "SendId")!.Value.GetInt64()));
        Assert.All(reconnects, line => Assert.True(Scope(line, "SubscriberId")?.GetInt64() > 0, line.ToString()));
        Assert.DoesNotContain("logged-reader-", server.Output);
        Assert.DoesNotContain("Reader 1", server.Output);
    }

    private static JsonElement? Scope(JsonElement line, string property) =>
        line.TryGetProperty("Scopes", out var scopes)
            ? scopes.EnumerateArray().Where(scope => scope.ValueKind == JsonValueKind.Object && scope.TryGetProperty(property, out _))
                .Select(scope => (JsonElement?)scope.GetProperty(property)).FirstOrDefault()
            : null;
}
