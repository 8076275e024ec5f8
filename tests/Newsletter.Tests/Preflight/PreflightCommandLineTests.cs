using Newsletter.Tests.Infrastructure;
using Newsletter.Tests.Rendering;

namespace Newsletter.Tests.Preflight;

/// <summary><c>preflight</c> and a send to a list gated on it, run as the real executable against a real database.</summary>
public sealed class PreflightCommandLineTests : IAsyncLifetime
{
    /// <summary>Fails one check only: a thousand paragraphs take the HTML part well past Gmail's clip.</summary>
    private static readonly string FailingIssue = """
        ---
        title: "A Very Long Issue"
        date: 2026-11-30
        ---

        Hi {{name|there}}.

        """ + string.Concat(Enumerable.Repeat("This paragraph is here to make the issue longer than any mail should be.\n\n", 1000));

    private readonly string _directory = Directory.CreateTempSubdirectory("preflight-cli").FullName;
    private string _connectionString = "";

    private TestAudience Audience => new(_connectionString);

    private static readonly Dictionary<string, string> SpamAssassinOn = new() { ["Newsletter:Preflight:SpamAssassin"] = "true" };

    private string FailingPath => Path.Combine(_directory, "failing.md");

    public async Task InitializeAsync()
    {
        _connectionString = await TestPostgres.CreateMigratedDatabaseAsync("preflight_cli");
        await File.WriteAllTextAsync(FailingPath, FailingIssue);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task PreflightPrintsEveryLineAndExitsNonZeroOnAFailure()
    {
        await SystemPackages.RequireAsync("spamassassin");
        var (sampleCode, sample) = await RunAsync(SpamAssassinOn, "preflight", RenderingFixture.SamplePath);
        var (failingCode, failing) = await RunAsync("preflight", FailingPath);

        Assert.Equal(0, sampleCode);
        Assert.Contains("pass    size: the HTML part is", sample);
        Assert.Contains("pass    spamassassin: SpamAssassin scores the message", sample);
        Assert.Contains("no check fails.", sample);
        Assert.Equal(1, failingCode);
        Assert.Contains("fail    size: the HTML part is", failing);
        Assert.Contains("1 failing line", failing);
        Assert.Equal(0L, await Audience.ScalarAsync<long>("SELECT count(*) FROM issues"));
    }

    [Fact]
    public async Task SendOfAFailingIssueIsRefusedUntilOverriddenAndTheOverrideIsShown()
    {
        await Audience.CreateListAsync("weekly");
        var later = DateTime.UtcNow.AddHours(1).ToString("O");

        var (refusedCode, refused) = await RunAsync("send", FailingPath, "--list", "weekly", "--at", later);
        var sendsAfterRefusal = await Audience.ScalarAsync<long>("SELECT count(*) FROM sends");
        var (overrideCode, overridden) = await RunAsync("send", FailingPath, "--list", "weekly", "--at", later, "--override-preflight");
        var sendId = await Audience.ScalarAsync<long>("SELECT id FROM sends");
        var (showCode, shown) = await RunAsync("sends", "show", sendId.ToString());
        var (storedCode, stored) = await RunAsync("preflight", "2026-11-30-a-very-long-issue");

        Assert.Equal(1, refusedCode);
        Assert.Contains("fails its preflight (size)", refused);
        Assert.Contains("fail    size: the HTML part is", refused);
        Assert.Contains("--override-preflight", refused);
        Assert.DoesNotContain("   at ", refused);
        Assert.Equal(0L, sendsAfterRefusal);
        Assert.Equal(0, overrideCode);
        Assert.Contains("the override is recorded with the send", overridden);
        Assert.StartsWith("size: the HTML part is",
            await Audience.ScalarAsync<string>("SELECT preflight_override FROM sends WHERE id = @Id", new { Id = sendId }));
        Assert.Equal(0, showCode);
        Assert.Contains("preflight overridden: size: the HTML part is", shown);
        Assert.Equal(1, storedCode);
        Assert.Contains("fail    size: the HTML part is", stored);
    }

    private Task<(int ExitCode, string Output)> RunAsync(params string[] arguments) => RunAsync(new Dictionary<string, string>(), arguments);

    private async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string> settings, params string[] arguments)
    {
        await using var process = ServerProcess.Run(
            new Dictionary<string, string>(settings) { ["ConnectionStrings:Newsletter"] = _connectionString }, arguments);
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(90));
        return (exitCode, process.Output);
    }
}
