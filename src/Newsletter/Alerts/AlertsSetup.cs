using Microsoft.Extensions.DependencyInjection;

namespace Newsletter.Alerts;

public static class AlertsSetup
{
    /// <summary>Operator alerts: logged, recorded, and mailed when an address is configured.</summary>
    public static IServiceCollection AddAlerts(this IServiceCollection services)
    {
        services.AddSingleton<AlertStore>();
        services.AddSingleton<OperatorAlerts>();
        services.AddTransient<AlertMailJob>();
        return services;
    }
}
