using Microsoft.Extensions.DependencyInjection;

namespace Newsletter.Operations;

public static class AlertWatchSetup
{
    /// <summary>The recurring watcher that alerts on a relay away too long and on slow sends.</summary>
    public static IServiceCollection AddAlertWatch(this IServiceCollection services)
    {
        services.AddSingleton<WatchStore>();
        services.AddTransient<AlertWatchJob>();
        services.AddHostedService<AlertWatchSchedule>();
        return services;
    }
}
