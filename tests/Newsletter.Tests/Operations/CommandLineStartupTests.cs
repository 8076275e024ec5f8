using System.Diagnostics;

namespace Newsletter.Tests.Operations;

/// <summary>The real executable, started as an operator would, with configuration that cannot work.</summary>
public sealed class CommandLineStartupTests
{
    [Fact]
    public async Task WrongConnectionStringExitsNonZeroWithOneParagraphAndNoStackTrace()
    {
        var (exitCode, stdout, stderr) = await RunServerAsync(new()
        {
            ["ConnectionStrings__Newsletter"] = "Host=127.0.0.1;Port=1;Username=u;Database=newsletter;Timeout=3",
        });

        Assert.Equal(2, exitCode);
        Assert.Contains("Cannot use the PostgreSQL database at 127.0.0.1:1/newsletter", stderr);
        Assert.DoesNotContain("   at ", stderr + stdout);
    }

    [Fact]
    public async Task InvalidConfigurationExitsNonZeroNamingTheKey()
    {
        var (exitCode, stdout, stderr) = await RunServerAsync(new()
        {
            ["Newsletter__PublicUrl"] = "not a url",
            ["ConnectionStrings__Newsletter"] = "Host=127.0.0.1;Port=1;Database=x",
        });

        Assert.Equal(2, exitCode);
        Assert.Contains("Newsletter:PublicUrl", stderr);
        Assert.DoesNotContain("   at ", stderr + stdout);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunServerAsync(Dictionary<string, string> environment)
    {
        var workingDirectory = Directory.CreateTempSubdirectory("newsletter-cli").FullName;
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "Newsletter.Server"))
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add("--urls=http://127.0.0.1:0");
        foreach (var (key, value) in environment)
            start.Environment[key] = value;

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Directory.Delete(workingDirectory, recursive: true);
        return (process.ExitCode, await stdout, await stderr);
    }
}
