using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;
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
        // Every outgoing message is built, and DKIM-signed when configured, by this one builder.
        services.AddSingleton(sp =>
        {
            var dkim = sp.GetRequiredService<IOptions<DkimOptions>>();
            return new IssueMessageBuilder(sp.GetRequiredService<IOptions<Configuration.NewsletterOptions>>().Value,
                dkim.Value.Enabled ? new DkimSigning(dkim) : null);
        });
        services.AddSingleton<DeliveryMessages>();
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
