using Newsletter.Configuration;
using Newsletter.Content;
using Newsletter.Rendering;

namespace Newsletter.Tests.Rendering;

/// <summary>
/// One compiled template set and one rendering of the sample issue for every rendering test:
/// compiling costs seconds, rendering is what the tests look at.
/// </summary>
public sealed class RenderingFixture : IAsyncLifetime
{
    public static NewsletterOptions Options { get; } = new()
    {
        Name = "Test Weekly",
        PublicUrl = "https://news.example.com",
        Sender = new SenderOptions
        {
            Name = "Test Weekly",
            Address = "letters@news.example.com",
            ReplyTo = "editor@news.example.com",
            PostalAddress = "12 Harbour Road, Portsmouth",
        },
    };

    public static MergeValues Sam { get; } = new(
        "sam@example.com",
        "Sam",
        "https://news.example.com/unsubscribe/t0k3n?a=1&b=2",
        "https://news.example.com/preferences/t0k3n",
        "https://news.example.com/archive/quiet");

    public MailRenderer Renderer { get; } = new(Options, TemplateDirectory.Locate(), typeof(RenderingFixture).Assembly);

    public static string SamplePath => Path.Combine(TemplateDirectory.Locate(), "sample-issue.md");

    public Issue Sample { get; private set; } = null!;

    public RenderedMail Rendered { get; private set; } = null!;

    public PersonalizedMail Personalized { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Renderer.CompileAsync();
        Sample = await new IssueReader().ReadAsync(SamplePath);
        Rendered = await Renderer.RenderIssueAsync(Sample);
        Personalized = new Personalizer(Rendered).Personalize(Sam);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
