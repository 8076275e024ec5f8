using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Newsletter.Rendering;
using Newsletter.Scheduling;

namespace Newsletter.Sending;

public static class SendingSetup
{
    /// <summary>The delivery engine: stores, SMTP pool, pace, message building, jobs, schedules.</summary>
    public static IServiceCollection AddSending(this IServiceCollection services)
    {
        services.AddSingleton<SendStore>();
        services.AddSingleton<DeliveryStore>();
        services.AddSingleton<ScheduleStore>();
        services.AddSingleton<SmtpConnectionPool>();
        services.AddSingleton<SendRateLimiter>();
        services.AddSingleton<FailureStreaks>();
        services.AddSingleton(sp => new DeliveryMessages(
            sp.GetRequiredService<IOptions<Configuration.NewsletterOptions>>(),
            sp.GetRequiredService<IssueMessageBuilder>(),
            sp.GetRequiredService<Subscribers.SubscriptionLinks>(),
            sp.GetRequiredService<IOptions<DkimOptions>>().Value.Enabled
                ? new DkimSigning(sp.GetRequiredService<IOptions<DkimOptions>>())
                : null,
            sp.GetRequiredService<SendStore>()));
        services.AddTransient<SendBatchJob>();
        services.AddTransient<StartSendJob>();
        services.AddTransient<TestSendJob>();
        services.AddSingleton<TestSends>();
        services.AddTransient<RecoverDeliveriesJob>();
        services.AddTransient<SendScheduler>();
        services.AddTransient<WeeklyScheduleJob>();
        services.AddTransient<WeeklySchedules>();
        services.AddHostedService<RecoverySchedule>();
        return services;
    }
}
