using System.Text.RegularExpressions;
using Newsletter.Tests.Infrastructure;

namespace Newsletter.Tests.Cli;

/// <summary><c>demo</c> as a newcomer runs it, its output captured as a file would capture it.</summary>
public sealed partial class DemoCommandTests
{
    [Fact]
    public async Task DemoPrintsAReportWithoutLogLinesAndKeepsItsLogInTheDataFolder()
    {
        await using var smtp = new TestSmtpServer();
        await using var demo = ServerProcess.Run(new Dictionary<string, string>
        {
            ["ConnectionStrings:Newsletter"] = await TestPostgres.CreateMigratedDatabaseAsync("demo_cli"),
            ["Newsletter:Smtp:Port"] = smtp.Port.ToString(),
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Information",
        }, "demo", "--subscribers", "40");

        var exitCode = await demo.WaitForExitAsync(TimeSpan.FromMinutes(3));
        var output = demo.Output;

        Assert.True(exitCode == 0, output);
        Assert.Equal(40, smtp.Messages.Count);
        Assert.DoesNotContain('\r', output);
        Assert.DoesNotMatch(LogLinePrefix(), output);
        Assert.Matches(@"(?m)^  mail viewer +an SMTP server already listens on 127\.0\.0\.1:\d+", output);
        Assert.Matches(@"(?m)^sending 100%  40 of 40 sent", output);
        Assert.Matches(@"(?m)^Send \d+ finished\. 40 sent, 0 failed, 0 skipped of 40", output);
        var log = Assert.Single(LogRow().Matches(output)).Groups["path"].Value;
        Assert.Equal(Path.Combine(demo.DataDirectory, "logs", "demo.log"), log);
        Assert.Contains("Now listening on", await File.ReadAllTextAsync(log));
    }

    [Fact]
    public async Task DemoRefusesAnImpossibleSubscriberCountBeforeStartingAnything()
    {
        await using var demo = ServerProcess.Run(new Dictionary<string, string>(), "demo", "--subscribers", "0");

        var exitCode = await demo.WaitForExitAsync(TimeSpan.FromMinutes(1));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--subscribers must be between 1 and 1,000,000.", demo.Output);
        Assert.False(Directory.Exists(demo.DataDirectory));
    }

    [GeneratedRegex(@"(?m)^(info|warn|fail|dbug|crit): ")]
    private static partial Regex LogLinePrefix();

    [GeneratedRegex(@"(?m)^  logs +(?<path>\S+)$")]
    private static partial Regex LogRow();
}
