using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;
using Newsletter.Storage;

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

    /// <summary>
    /// The options sections bound and validated exactly as the server binds them, so a verb without the
    /// host (a preview) cannot accept settings that would stop the server.
    /// </summary>
    /// <exception cref="StartupException">A setting of any section is not valid.</exception>
    public static ServiceProvider ValidatedOptions(this IConfiguration configuration)
    {
        var options = new ServiceCollection().AddSingleton(configuration).AddNewsletterOptions().BuildServiceProvider();
        try
        {
            AppHost.ValidateConfiguration(options);
            return options;
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }

    /// <summary>One section out of <see cref="ValidatedOptions"/>, which checked them all.</summary>
    public static T Options<T>(this IServiceProvider options) where T : class => options.GetRequiredService<IOptions<T>>().Value;

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
