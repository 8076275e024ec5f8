using System.Diagnostics;
using Newsletter.Tests.Infrastructure;

namespace Newsletter.Tests.Subscribers;

/// <summary>The list and subscriber verbs of the real executable, against a database of their own.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SubscribersCommandLineTests : IAsyncLifetime
{
    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("newsletter-cli").FullName;
    private string _connectionString = "";

    public async Task InitializeAsync() =>
        _connectionString = await TestPostgres.CreateMigratedDatabaseAsync(nameof(SubscribersCommandLineTests));

    public Task DisposeAsync()
    {
        Directory.Delete(_workingDirectory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ListsAreCreatedFilledByImportShownAndExported()
    {
        var created = await RunAsync("lists", "create", "cli-list", "--name", "CLI list", "--double-opt-in", "false");
        Assert.Equal((0, "Created list cli-list (CLI list), single opt-in."), (created.ExitCode, created.Stdout.Trim()));

        var csv = Path.Combine(_workingDirectory, "people.csv");
        await File.WriteAllTextAsync(csv, "Email,Name\nada@example.com,Ada\nnot an address,X\ngrace@example.com,Grace\n");
        var imported = await RunAsync("subscribers", "import", csv, "--list", "cli-list", "--confirmed");
        Assert.Equal(0, imported.ExitCode);
        Assert.Equal("read 3, imported 2, updated 0, rejected 1, suppressed 0, unsubscribed 0, duplicates 0", imported.Stdout.Trim());
        Assert.Contains("line 3: not a single plain address", imported.Stderr);

        var shown = await RunAsync("lists", "show");
        Assert.Matches(@"cli-list\s+single\s+2\s+0\s+0\s+CLI list", shown.Stdout);

        var exported = await RunAsync("subscribers", "export", "--list", "cli-list");
        Assert.Equal(0, exported.ExitCode);
        var lines = exported.Stdout.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("ada@example.com,Ada,confirmed,", lines[1]);
    }

    [Fact]
    public async Task OneSubscriberIsFoundShownExportedAndErasedAndAReimportIsRefused()
    {
        await RunAsync("lists", "create", "people", "--name", "People", "--double-opt-in", "false");
        var csv = Path.Combine(_workingDirectory, "people.csv");
        await File.WriteAllTextAsync(csv, "email,name,city\nlin@example.com,Lin Ma,Oslo\nlinda@example.com,Linda,Rome\nmo@example.com,Lina Mo,Pisa\n");
        await RunAsync("subscribers", "import", csv, "--list", "people", "--confirmed");

        var found = await RunAsync("subscribers", "search", "LIN", "--limit", "2");
        Assert.Equal(0, found.ExitCode);
        var lines = found.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("lin@example.com", lines[0]);
        Assert.StartsWith("… more", lines[2]);

        var shown = await RunAsync("subscribers", "show", "LIN@example.com");
        Assert.Equal(0, shown.ExitCode);
        Assert.Matches(@"people\s+confirmed\s+import", shown.Stdout);
        Assert.Contains("city: Oslo", shown.Stdout);
        Assert.Contains("imported_confirmed", shown.Stdout);

        var exported = await RunAsync("subscribers", "export-data", "lin@example.com");
        Assert.Equal(0, exported.ExitCode);
        using (var json = System.Text.Json.JsonDocument.Parse(exported.Stdout))
            Assert.Equal("Oslo", json.RootElement.GetProperty("subscriber").GetProperty("attributes").GetProperty("city").GetString());
        var file = Path.Combine(_workingDirectory, "lin.json");
        Assert.Equal(0, (await RunAsync("subscribers", "export-data", "lin@example.com", "--out", file)).ExitCode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        using (var json = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(file)))
            Assert.Equal("Oslo", json.RootElement.GetProperty("subscriber").GetProperty("attributes").GetProperty("city").GetString());

        var erased = await RunAsync("subscribers", "erase", "lin@example.com");
        Assert.Equal(0, erased.ExitCode);
        Assert.StartsWith("Erased lin@example.com: the subscriber, 1 list subscriptions, 1 attributes", erased.Stdout);

        var reimported = await RunAsync("subscribers", "import", csv, "--list", "people", "--confirmed");
        Assert.Equal("read 3, imported 0, updated 2, rejected 0, suppressed 1, unsubscribed 0, duplicates 0", reimported.Stdout.Trim());
        var gone = await RunAsync("subscribers", "show", "lin@example.com");
        Assert.Equal((1, "newsletter: No subscriber with the address lin@example.com."), (gone.ExitCode, gone.Stderr.Trim()));
    }

    [Fact]
    public async Task ImportWithoutAnEmailColumnOrExportOfAnUnknownListExitsNonZeroAndSaysWhy()
    {
        await RunAsync("lists", "create", "no-email", "--name", "No email");
        var csv = Path.Combine(_workingDirectory, "names.csv");
        await File.WriteAllTextAsync(csv, "Name,Company\nAda,Analytical\n");

        var refused = await RunAsync("subscribers", "import", csv, "--list", "no-email");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("no email column", refused.Stderr);
        Assert.DoesNotContain("   at ", refused.Stderr);

        var output = Path.Combine(_workingDirectory, "out.csv");
        var noList = await RunAsync("subscribers", "export", "--list", "no-such-list", "--out", output);
        Assert.Equal(1, noList.ExitCode);
        Assert.False(File.Exists(output));
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "Newsletter.Server"))
        {
            WorkingDirectory = _workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["ConnectionStrings__Newsletter"] = _connectionString;

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
