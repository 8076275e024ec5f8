using Microsoft.Extensions.Configuration;
using Newsletter.Configuration;

namespace Newsletter.Server.Cli;

/// <summary>
/// Configuration for verbs that run without the web host: <c>appsettings.json</c> from the current
/// directory or the nearest parent, then environment variables (<c>Newsletter__Name</c>, …).
/// </summary>
internal static class CliConfiguration
{
    public static IConfiguration Load()
    {
        var builder = new ConfigurationBuilder();
        if (FindUpward("appsettings.json") is { } file)
        {
            builder.AddJsonFile(file, optional: true);
        }

        return builder.AddEnvironmentVariables().Build();
    }

    public static T Bind<T>(this IConfiguration configuration, string section) where T : new()
    {
        var options = new T();
        configuration.GetSection(section).Bind(options);
        return options;
    }

    public static NewsletterOptions Newsletter(this IConfiguration configuration) =>
        configuration.Bind<NewsletterOptions>(NewsletterOptions.Section);

    private static string? FindUpward(string fileName)
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, fileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
