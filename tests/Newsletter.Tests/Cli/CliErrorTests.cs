using Newsletter.Server.Cli;

namespace Newsletter.Tests.Cli;

/// <summary>Every error reaches the terminal one way: <c>newsletter: message</c> on standard error and one exit code per kind.</summary>
public sealed class CliErrorTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("cli-errors-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public async Task ArgumentErrorIsReportedInTheOneFormatBeforeAnythingRuns()
    {
        var (exitCode, output, error) = await RunAsync("lists", "create", "Not A Slug", "--name", "Readers");

        Assert.Equal(CliInvocation.Refused, exitCode);
        Assert.Equal("newsletter: 'Not A Slug' is not a valid slug: use 1-64 lower-case letters, digits and '-', starting with a letter or digit.\n" +
                     "See `newsletter lists create --help`.",
            error.Trim().ReplaceLineEndings("\n"));
        Assert.Empty(output);
    }

    [Fact]
    public async Task AnApiKeyNameThatIsNotOneIsRefusedBeforeAnythingRuns()
    {
        var (exitCode, _, error) = await InProcessCli.RunAsync([ApiKeysCommand.Create()], ["api-keys", "create", "two words"]);

        Assert.Equal(CliInvocation.Refused, exitCode);
        Assert.StartsWith("newsletter: 'two words' is not a valid key name: use 1-64 letters, digits, '.', '_' and '-'.", error);
    }

    [Fact]
    public async Task LibraryRefusalIsReportedInTheSameFormatWithoutAStackTrace()
    {
        var issue = Path.Combine(_work.FullName, "untitled.md");
        await File.WriteAllTextAsync(issue, "---\nauthor: [unclosed\n---\n\n# Body\n");

        var (exitCode, _, error) = await RunAsync("render", issue, "--out", Path.Combine(_work.FullName, "out"));

        Assert.Equal(CliInvocation.Refused, exitCode);
        Assert.StartsWith($"newsletter: {issue}:2: ", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public async Task MissingFileArgumentIsAnArgumentErrorNamingTheFile()
    {
        var missing = Path.Combine(_work.FullName, "nope.csv");

        var (exitCode, _, error) = await RunAsync("subscribers", "import", missing, "--list", "readers");

        Assert.Equal(CliInvocation.Refused, exitCode);
        Assert.StartsWith("newsletter: ", error);
        Assert.Contains(missing, error);
    }

    private static Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) =>
        InProcessCli.RunAsync([ListsCommand.Create(), SubscribersCommand.Create(), RenderCommand.Create(typeof(CliErrorTests).Assembly)], args);
}
