using Microsoft.Extensions.DependencyInjection;

namespace Newsletter.Preflight;

public static class PreflightSetup
{
    /// <summary>The checks an issue passes before it goes to a list.</summary>
    public static IServiceCollection AddPreflight(this IServiceCollection services)
    {
        services.AddSingleton(new SpamAssassinCheck());
        services.AddSingleton<IssuePreflight>();
        return services;
    }
}
