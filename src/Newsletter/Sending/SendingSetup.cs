using Microsoft.Extensions.DependencyInjection;

namespace Newsletter.Sending;

public static class SendingSetup
{
    /// <summary>The delivery engine: stores, SMTP pool, pace, the send jobs.</summary>
    public static IServiceCollection AddSending(this IServiceCollection services)
    {
        services.AddSingleton<SendStore>();
        services.AddSingleton<DeliveryStore>();
        services.AddSingleton<OutcomeWriter>();
        services.AddSingleton<SmtpConnectionPool>();
        services.AddSingleton<RateWindowStore>();
        services.AddSingleton<SendRateLimiter>();
        services.AddSingleton<FailureStreaks>();
        services.AddSingleton<SendAlerts>();
        services.AddSingleton<DeliveryMessages>();
        services.AddSingleton<EnvelopeSender>();
        services.AddTransient<SendBatchJob>();
        services.AddTransient<StartSendJob>();
        services.AddTransient<TestSendJob>();
        services.AddSingleton<TestSends>();
        services.AddSingleton<IssuePreviews>();
        services.AddTransient<RecoverDeliveriesJob>();
        services.AddTransient<SendScheduler>();
        services.AddHostedService<RecoverySchedule>();
        return services;
    }
}
