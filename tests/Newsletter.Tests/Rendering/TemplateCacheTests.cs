using Newsletter.Rendering;
using Newsletter.Sending;
using Newsletter.Tests.Infrastructure;
using Newsletter.Tests.Sending;

namespace Newsletter.Tests.Rendering;

/// <summary>Compiled templates kept on disk, and the server that loads them instead of compiling.</summary>
public sealed class TemplateCacheTests(ProcessTestFixture fixture) : IClassFixture<ProcessTestFixture>
{
    [Fact]
    public async Task ServerSendsWithTemplatesCompiledByAChildProcessAndNeverLoadsTheCompiler()
    {
        var list = await fixture.Audience.CreateListAsync("cached");
        await fixture.Audience.SubscribeManyAsync("cached", 3, list);
        await using var server = ServerProcess.Start(fixture.ServerSettings());
        await fixture.WaitForServersAsync(1);

        var sendId = (await fixture.SendNowAsync("cached")).Id;

        Assert.Equal(SendStatus.Finished, await fixture.WaitForSendAsync(sendId, SendStatus.Finished, TimeSpan.FromSeconds(90)));
        Assert.Equal(3, fixture.Received(sendId).Count);
        Assert.Equal(5, Directory.GetFiles(Path.Combine(server.DataDirectory, "template-cache"), "*.dll", SearchOption.AllDirectories).Length);
        var mapped = await File.ReadAllTextAsync($"/proc/{server.Id}/maps");
        Assert.DoesNotContain("Microsoft.CodeAnalysis.CSharp.dll", mapped);
    }

    [Fact]
    public async Task EditedTemplateIsCompiledAgainAndTheOthersAreLoaded()
    {
        var templates = Directory.CreateTempSubdirectory("templates-").FullName;
        var cache = Path.Combine(templates, "cache");
        try
        {
            Directory.CreateDirectory(Path.Combine(templates, "email"));
            foreach (var file in Directory.GetFiles(Path.Combine(TemplateDirectory.Locate(), "email")))
                File.Copy(file, Path.Combine(templates, "email", Path.GetFileName(file)));
            await new MailRenderer(RenderingFixture.Options, templates, typeof(TemplateCacheTests).Assembly, cache).CompileAsync();
            var compiled = Directory.GetFiles(cache, "*.dll");

            var welcome = Path.Combine(templates, "email", "Welcome.cshtml");
            File.AppendAllText(welcome, "\n<p>Edited after the first compile.</p>\n");
            var renderer = new MailRenderer(RenderingFixture.Options, templates, typeof(TemplateCacheTests).Assembly, cache);

            Assert.False(renderer.IsCompiledInCache());
            var mail = await renderer.RenderWelcomeAsync("Friday Links");
            Assert.Contains("Edited after the first compile.", mail.Html);
            Assert.True(renderer.IsCompiledInCache());
            Assert.Equal(compiled.Length + 1, Directory.GetFiles(cache, "*.dll").Length);
        }
        finally
        {
            Directory.Delete(templates, recursive: true);
        }
    }
}
