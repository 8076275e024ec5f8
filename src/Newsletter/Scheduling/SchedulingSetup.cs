using Microsoft.Extensions.DependencyInjection;

namespace Newsletter.Scheduling;

public static class SchedulingSetup
{
    /// <summary>Weekly schedules: our rows and the recurring jobs that start their sends.</summary>
    public static IServiceCollection AddScheduling(this IServiceCollection services)
    {
        services.AddSingleton<ScheduleStore>();
        services.AddTransient<WeeklyScheduleJob>();
        services.AddTransient<WeeklySchedules>();
        services.AddHostedService<ScheduleRegistration>();
        return services;
    }
}
