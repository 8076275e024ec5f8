using MimeKit;
using Newsletter.Server.Cli;
using Newsletter.Tests.Infrastructure;
using Newsletter.Tests.Rendering;

namespace Newsletter.Tests.Cli;

public sealed class RenderCommandTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("render-cli-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public async Task RenderWritesHtmlTextAndACompleteMessage()
    {
        var outDir = Path.Combine(_work.FullName, "out");

        var (exitCode, output, error) = await RunAsync("render", RenderingFixture.SamplePath, "--out", outDir);

        Assert.True(exitCode == 0, error);
        Assert.Contains("Wrote email.html, email.txt, email.eml", output);
        Assert.Equal(["email.eml", "email.html", "email.txt"], Directory.GetFiles(outDir).Select(Path.GetFileName).Order());
        var html = await File.ReadAllTextAsync(Path.Combine(outDir, "email.html"));
        Assert.Contains("Hi Sam,", html);
        Assert.DoesNotContain("{{", html);
        var message = await MimeMessage.LoadAsync(Path.Combine(outDir, "email.eml"));
        Assert.Equal("sam@example.com", message.To.Mailboxes.Single().Address);
        Assert.NotNull(message.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);
        Assert.Equal(html, message.HtmlBody);
    }

    [Fact]
    public async Task RenderRefusesSettingsTheServerWouldRefuse()
    {
        var outDir = Path.Combine(_work.FullName, "refused");
        await using var render = ServerProcess.Run(new Dictionary<string, string> { ["Newsletter:PublicUrl"] = "not a url" },
            "render", RenderingFixture.SamplePath, "--out", outDir);

        Assert.Equal(CliInvocation.CannotStart, await render.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.StartsWith("newsletter: The configuration is not valid: ", render.Output);
        Assert.Contains("Newsletter:PublicUrl must be an absolute http(s) URL", render.Output);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public async Task BrokenIssueFailsWithFileAndLineAndWritesNothing()
    {
        var issue = Path.Combine(_work.FullName, "broken.md");
        await File.WriteAllTextAsync(issue, "---\ntitle: ok\nauthor: [unclosed\n---\n\n# Body\n");
        var outDir = Path.Combine(_work.FullName, "out");

        var (exitCode, _, error) = await RunAsync("render", issue, "--out", outDir);

        Assert.Equal(1, exitCode);
        Assert.StartsWith($"newsletter: {issue}:3: malformed front matter", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public async Task UnknownMergeTokenFailsWithFileAndLineAndWritesNothing()
    {
        var issue = Path.Combine(_work.FullName, "typo.md");
        await File.WriteAllTextAsync(issue, "# Title\n\nHi {{nmae|there}},\n");
        var outDir = Path.Combine(_work.FullName, "out");

        var (exitCode, _, error) = await RunAsync("render", issue, "--out", outDir);

        Assert.Equal(1, exitCode);
        Assert.StartsWith($"newsletter: {issue}:3: unknown merge token '{{{{nmae|there}}}}'", error);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public async Task MissingIssueFileIsReportedAndExistingOutputIsLeftAlone()
    {
        var outDir = Directory.CreateDirectory(Path.Combine(_work.FullName, "out")).FullName;
        await File.WriteAllTextAsync(Path.Combine(outDir, "email.html"), "previous");
        var missing = Path.Combine(_work.FullName, "nope.md");

        var (exitCode, _, error) = await RunAsync("render", missing, "--out", outDir);

        Assert.Equal(1, exitCode);
        Assert.StartsWith($"newsletter: File does not exist: '{missing}'", error);
        Assert.Equal("previous", await File.ReadAllTextAsync(Path.Combine(outDir, "email.html")));
        Assert.Single(Directory.GetFiles(outDir));
    }

    private static Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) =>
        InProcessCli.RunAsync([RenderCommand.Create(typeof(RenderCommandTests).Assembly)], args);
}
