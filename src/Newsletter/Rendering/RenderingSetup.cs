using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;
using Newsletter.Content;

namespace Newsletter.Rendering;

public static class RenderingSetup
{
    /// <summary>One issue reader, one RazorLight engine (templates compiled once, kept in the data folder) per process.</summary>
    public static IServiceCollection AddRendering(this IServiceCollection services)
    {
        services.AddSingleton<IssueReader>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<NewsletterOptions>>().Value;
            var rendering = sp.GetRequiredService<IOptions<RenderingOptions>>().Value;
            var cache = string.IsNullOrEmpty(rendering.CachePath) ? Path.Combine(options.DataDirectory, "template-cache") : rendering.CachePath;
            return new MailRenderer(options, TemplateDirectory.Locate(rendering.TemplatesPath), cacheDirectory: TemplateCache.DirectoryFor(cache));
        });
        services.AddHostedService<TemplateCompilation>();
        return services;
    }
}
