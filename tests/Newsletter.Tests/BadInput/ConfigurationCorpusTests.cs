using Newsletter.Server.Cli;
using Newsletter.Tests.Cli;
using Newsletter.Tests.Rendering;

namespace Newsletter.Tests.BadInput;

/// <summary>
/// Settings the app cannot work with (<c>BadInput/Configuration</c>), given as environment variables to verbs
/// run in this process: a verb that starts the app (<c>lists show</c>) and <c>render</c>, which needs no
/// database, both stop with exit code 2 and one line naming the key, before touching a database or a file.
/// </summary>
public sealed class ConfigurationCorpusTests : IDisposable
{
    private const string Folder = "Configuration";

    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("bad-settings-");

    public static TheoryData<string> Cases => BadInputCorpus.Names(Folder);

    public void Dispose() => _work.Delete(recursive: true);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadSettingStopsEveryVerbNamingTheKey(string name)
    {
        var expected = BadInputCorpus.Expectation(Folder, name);
        var notAKey = Path.Combine(_work.FullName, "not-a-key.pem");
        await File.WriteAllTextAsync(notAKey, "this is no PEM key\n");
        var settings = new Dictionary<string, string>
        {
            ["Newsletter:DataDirectory"] = Path.Combine(_work.FullName, "data"),
            // Should a bad value get through, the verb fails on this instead, and the message check shows it.
            ["ConnectionStrings:Newsletter"] = "Host=127.0.0.1;Port=1;Database=none;Timeout=2",
            [expected.Text("key")!] = expected.Text("value")!.Replace("{notAKey}", notAKey),
        };
        if (expected.TryGetProperty("also", out var also))
            foreach (var setting in also.EnumerateObject())
                settings[setting.Name] = setting.Value.GetString()!;
        if (expected.Text("key") == "Newsletter:Dkim:PrivateKeyPath")
            (settings["Newsletter:Dkim:Domain"], settings["Newsletter:Dkim:Selector"]) = ("example.com", "news");
        var outDir = Path.Combine(_work.FullName, "out");

        var lists = await RunWithSettingsAsync(settings, [ListsCommand.Create()], "lists", "show");
        var render = await RunWithSettingsAsync(settings, [RenderCommand.Create(typeof(ConfigurationCorpusTests).Assembly)],
            "render", RenderingFixture.SamplePath, "--out", outDir);

        foreach (var (exitCode, _, error) in new[] { lists, render })
        {
            Assert.True(exitCode == CliInvocation.CannotStart, $"exit code {exitCode}: {error}");
            Assert.StartsWith("newsletter: The configuration is not valid: ", error);
            Assert.True(error.Contains(expected.Text("message")!), error);
            Assert.Single(error.Trim().Split('\n'));
        }
        Assert.False(Directory.Exists(outDir));
        Assert.False(Directory.Exists(Path.Combine(_work.FullName, "data", "postgres")));
    }

    /// <summary>
    /// Verbs read configuration from the environment, as in production. Test classes run one at a time
    /// (xunit.runner.json), so setting variables for the length of one call disturbs no other test.
    /// </summary>
    private static async Task<(int ExitCode, string Output, string Error)> RunWithSettingsAsync(
        Dictionary<string, string> settings, System.CommandLine.Command[] verbs, params string[] args)
    {
        var variables = settings.Keys.Select(k => k.Replace(":", "__")).ToList();
        var previous = variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var (key, value) in settings)
                Environment.SetEnvironmentVariable(key.Replace(":", "__"), value);
            return await InProcessCli.RunAsync(verbs, args);
        }
        finally
        {
            foreach (var (variable, value) in previous)
                Environment.SetEnvironmentVariable(variable, value);
        }
    }
}
