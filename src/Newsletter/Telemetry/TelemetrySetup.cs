using Microsoft.Extensions.DependencyInjection;

namespace Newsletter.Telemetry;

public static class TelemetrySetup
{
    /// <summary>The application's own instruments; exporting them is Operations' (<c>/metrics</c>).</summary>
    public static IServiceCollection AddTelemetry(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton<NewsletterMetrics>();
        return services;
    }
}
