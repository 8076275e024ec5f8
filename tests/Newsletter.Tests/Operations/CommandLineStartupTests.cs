using Newsletter.Rendering;
using Newsletter.Tests.Infrastructure;

namespace Newsletter.Tests.Operations;

/// <summary>The real executable, started as an operator would, with configuration that cannot work.</summary>
public sealed class CommandLineStartupTests
{
    [Fact]
    public async Task WrongConnectionStringExitsNonZeroWithOneParagraphAndNoStackTrace()
    {
        await using var server = ServerProcess.Start(new Dictionary<string, string>
        {
            ["ConnectionStrings:Newsletter"] = "Host=127.0.0.1;Port=1;Username=u;Database=newsletter;Timeout=3",
        });

        Assert.Equal(2, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Cannot use the PostgreSQL database at 127.0.0.1:1/newsletter", server.Output);
        Assert.DoesNotContain("   at ", server.Output);
    }

    [Fact]
    public async Task InvalidConfigurationExitsNonZeroNamingTheKey()
    {
        await using var server = ServerProcess.Start(new Dictionary<string, string>
        {
            ["Newsletter:PublicUrl"] = "not a url",
            ["ConnectionStrings:Newsletter"] = "Host=127.0.0.1;Port=1;Database=x",
        });

        Assert.Equal(2, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Newsletter:PublicUrl", server.Output);
        Assert.DoesNotContain("   at ", server.Output);
    }

    [Fact]
    public async Task TemplateThatDoesNotCompileStopsTheStartNamingFileAndLine()
    {
        var templates = Directory.CreateTempSubdirectory("broken-templates-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(templates, "email"));
            foreach (var file in Directory.GetFiles(Path.Combine(TemplateDirectory.Locate(), "email")))
                File.Copy(file, Path.Combine(templates, "email", Path.GetFileName(file)));
            var welcome = Path.Combine(templates, "email", "Welcome.cshtml");
            var lines = File.ReadAllLines(welcome).ToList();
            lines.Insert(6, "<p>@Model.NoSuchProperty</p>");
            File.WriteAllLines(welcome, lines);

            await using var server = ServerProcess.Start(new Dictionary<string, string>
            {
                ["ConnectionStrings:Newsletter"] = await TestPostgres.CreateMigratedDatabaseAsync("broken_template"),
                ["Newsletter:Rendering:TemplatesPath"] = templates,
            });

            Assert.Equal(2, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains($"{welcome}:7: does not compile", server.Output);
            Assert.Contains("NoSuchProperty", server.Output);
            Assert.DoesNotContain("   at ", server.Output);
        }
        finally
        {
            Directory.Delete(templates, recursive: true);
        }
    }
}
