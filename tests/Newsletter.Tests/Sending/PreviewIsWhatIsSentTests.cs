using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Configuration;
using Newsletter.Content;
using Newsletter.Mail;
using Newsletter.Rendering;
using Newsletter.Sending;
using Newsletter.Server.Cli;
using Newsletter.Subscribers;
using Newsletter.Tests.Infrastructure;
using Newsletter.Tests.Rendering;

namespace Newsletter.Tests.Sending;

/// <summary>
/// The test copy (`send --test`) and the preview (`render`'s email.eml) against the message a subscriber
/// gets from a send: header by header and part by part the same once the recipient's own values are set aside.
/// </summary>
public sealed class PreviewIsWhatIsSentTests(PreviewIsWhatIsSentTests.SignedApp app) : IClassFixture<PreviewIsWhatIsSentTests.SignedApp>
{
    private const string SubscriberEmail = "quinn.zephyr@example.net";
    private const string SubscriberName = "Quinn Zephyr";

    [Fact]
    public async Task TestCopyIsTheSubscribersMessageButForTheRecipient()
    {
        var listId = await app.CreateListAsync("preview-same");
        await app.SubscribeAsync(SubscriberEmail, listId, name: SubscriberName);
        var issueId = await app.StoreSampleIssueAsync();

        await app.Scheduler.ScheduleAsync(issueId, ["preview-same"], at: null);
        var sent = await MailToAsync(SubscriberEmail);
        app.Services.GetRequiredService<TestSends>().Enqueue(issueId, "Tess Tester <tess@example.org>");
        var copy = await MailToAsync("tess@example.org");

        Assert.Equal("Tess Tester", copy.To.Mailboxes.Single().Name);
        Assert.True(await app.Key.VerifiesAsync(sent), "the subscriber's message is not DKIM-signed by our key");
        Assert.True(await app.Key.VerifiesAsync(copy), "the test copy is not DKIM-signed by our key");
        Assert.Contains("Hi Tess Tester,", copy.TextBody);
        Assert.DoesNotContain("/unsubscribe", WebVersionLink(copy));
        var shape = await MessageShape.OfAsync(sent, SubscriberEmail, SubscriberName);
        Assert.Equal(shape, await MessageShape.OfAsync(copy, "tess@example.org", "Tess Tester"));
        Assert.Contains("To: {name} <{email}>", shape);
        Assert.Contains(shape, line => line.StartsWith("DKIM-Signature:", StringComparison.Ordinal));
        Assert.Contains(shape, line => line.StartsWith("List-Unsubscribe: <http", StringComparison.Ordinal));
        Assert.Contains("  Hi {name},", shape);
    }

    [Fact]
    public async Task RenderPreviewIsTheSubscribersMessageButForTheRecipient()
    {
        var outDir = Directory.CreateTempSubdirectory("preview-").FullName;
        try
        {
            var root = new RootCommand { RenderCommand.Create(typeof(PreviewIsWhatIsSentTests).Assembly) };
            var error = new StringWriter();
            var exitCode = await root.Parse(["render", RenderingFixture.SamplePath, "--out", outDir])
                .InvokeAsync(new InvocationConfiguration { Output = new StringWriter(), Error = error });
            Assert.True(exitCode == 0, error.ToString());
            var preview = await MimeMessage.LoadAsync(Path.Combine(outDir, "email.eml"));

            using var sent = await SubscribersMessageAsync(RepositoryOptions());

            Assert.Equal(
                await MessageShape.OfAsync(sent, SubscriberEmail, SubscriberName),
                await MessageShape.OfAsync(preview, RenderCommand.SampleAddress, RenderCommand.SampleName));
            Assert.Matches(@"^<https?://[^>]+/unsubscribe\?token=[A-Za-z0-9_-]+>$", preview.Headers["List-Unsubscribe"]);
            Assert.Contains("/preferences?token=", preview.HtmlBody);
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
        }
    }

    /// <summary>What a send's batch builds for one subscriber, with the options `render` reads (the repository's appsettings.json).</summary>
    private static async Task<MimeMessage> SubscribersMessageAsync(NewsletterOptions options)
    {
        var renderer = new MailRenderer(options, TemplateDirectory.Locate(), typeof(PreviewIsWhatIsSentTests).Assembly);
        var issue = await new IssueReader().ReadAsync(RenderingFixture.SamplePath);
        var rendered = await renderer.RenderIssueAsync(issue);
        var content = new SendContent { Subject = rendered.Subject, HtmlBody = rendered.Html, TextBody = rendered.Text, IssueSlug = issue.Slug };
        var links = new SubscriptionLinks(SubscriptionTokens.FromSecret(new byte[32]), Options.Create(options));
        return new DeliveryMessageFactory(12, content, new IssueMessageBuilder(options), links, options.PublicUrl)
            .Build(new ClaimedDelivery(42, 7, SubscriberEmail, SubscriberName, 0, true));
    }

    /// <summary>The appsettings.json `render` finds (the nearest one from the current folder upward), with environment overrides.</summary>
    private static NewsletterOptions RepositoryOptions()
    {
        var folder = new DirectoryInfo(Directory.GetCurrentDirectory());
        while (!File.Exists(Path.Combine(folder.FullName, "appsettings.json")))
            folder = folder.Parent ?? throw new FileNotFoundException("no appsettings.json above the current folder");
        var options = new NewsletterOptions();
        new ConfigurationBuilder().AddJsonFile(Path.Combine(folder.FullName, "appsettings.json")).AddEnvironmentVariables()
            .Build().GetSection(NewsletterOptions.Section).Bind(options);
        return options;
    }

    private static string WebVersionLink(MimeMessage message) =>
        System.Text.RegularExpressions.Regex.Match(message.HtmlBody!, @"href=""([^""]+)""[^>]*>View in browser").Groups[1].Value;

    private async Task<MimeMessage> MailToAsync(string address)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (app.Smtp.Messages.FirstOrDefault(m => m.To.Mailboxes.Any(b => b.Address == address)) is { } mail)
                return mail;
            await Task.Delay(50);
        }
        throw new TimeoutException($"No mail to {address}; {app.Smtp.Messages.Count} in all.");
    }

    /// <summary>The sending app with DKIM on.</summary>
    public sealed class SignedApp : SendingTestApp, IDisposable
    {
        public TestDkimKey Key { get; } = new();

        protected override IEnumerable<KeyValuePair<string, string?>> Settings => base.Settings.Concat(Key.Settings);

        public void Dispose() => Key.Dispose();
    }
}
