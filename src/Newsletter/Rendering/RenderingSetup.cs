using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;
using Newsletter.Content;
using Newsletter.Sending;

namespace Newsletter.Rendering;

public static class RenderingSetup
{
    /// <summary>One issue reader, one RazorLight engine (templates compiled once) and one message builder per process.</summary>
    public static IServiceCollection AddRendering(this IServiceCollection services)
    {
        services.AddOptions<RenderingOptions>().BindConfiguration(RenderingOptions.Section);
        services.AddSingleton<IssueReader>();
        services.AddSingleton(sp => new MailRenderer(
            sp.GetRequiredService<IOptions<NewsletterOptions>>().Value,
            TemplateDirectory.Locate(sp.GetRequiredService<IOptions<RenderingOptions>>().Value.TemplatesPath)));
        services.AddSingleton(sp => new IssueMessageBuilder(sp.GetRequiredService<IOptions<NewsletterOptions>>().Value));
        services.AddHostedService<TemplateCompilation>();
        return services;
    }
}
