using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;

namespace Newsletter.Tests.Configuration;

public sealed class StartValidationTests
{
    [Theory]
    [InlineData("Newsletter:PublicUrl", "not a url")]
    [InlineData("Newsletter:Sender:Address", "nobody")]
    [InlineData("Newsletter:Smtp:Port", "0")]
    [InlineData("Newsletter:Admin:OpsUser", "admin")]
    [InlineData("Newsletter:Rendering:TemplatesPath", "/no/such/templates")]
    [InlineData("Newsletter:Sending:BatchSize", "0")]
    [InlineData("Newsletter:Dkim:Domain", "example.com")]
    [InlineData("Newsletter:Subscribers:MaxBodyBytes", "1")]
    [InlineData("Newsletter:Jobs:Workers", "0")]
    [InlineData("Newsletter:Health:ProbeSeconds", "0")]
    [InlineData("Newsletter:Metrics:ScrapeToken", "too-short-to-resist-guessing")]
    [InlineData("Newsletter:Alerts:Email", "nobody")]
    [InlineData("Newsletter:Alerts:SlowFactor", "1")]
    [InlineData("Newsletter:Api:RequestsPerMinute", "0")]
    [InlineData("Newsletter:Bounces:Address", "bounces+x@example.com")]
    [InlineData("Newsletter:Bounces:SoftLimit", "0")]
    [InlineData("Newsletter:Bounces:Mailbox:Host", "imap.example.com")]
    [InlineData("Newsletter:Bounces:Mailbox:IntervalMinutes", "0")]
    [InlineData("Newsletter:Bounces:Webhooks:SnsCertificatePath", "/no/such/sns.pem")]
    public async Task BadValueInAnySectionStopsTheStartNamingIt(string key, string value)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [key] = value });
        builder.Services.AddNewsletterOptions();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(key.Split(':')[^1], error.Message);
    }

    [Fact]
    public void EveryOptionsSectionLivesInConfiguration()
    {
        var sections = typeof(NewsletterOptions).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("Options", StringComparison.Ordinal)
                && t.GetField("Section", BindingFlags.Public | BindingFlags.Static) is not null)
            .ToList();

        Assert.True(sections.Count >= 9, $"found {sections.Count} options sections");
        Assert.All(sections, t => Assert.Equal("Newsletter.Configuration", t.Namespace));
    }
}
