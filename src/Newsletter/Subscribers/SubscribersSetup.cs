using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Newsletter.Subscribers;

public static class SubscribersSetup
{
    /// <summary>Lists, subscribers, signed links, consent mails and their jobs; the housekeeping job is scheduled when the host starts.</summary>
    public static IServiceCollection AddSubscribers(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SubscriberStore>();
        services.AddSingleton<SubscriptionTokens>();
        services.AddSingleton<SubscriptionLinks>();
        services.AddSingleton<ConsentMails>();
        services.AddTransient<SendConfirmationJob>();
        services.AddTransient<SendWelcomeJob>();
        services.AddTransient<PurgeUnconfirmedJob>();
        services.AddTransient<SubscriberImporter>();
        services.AddTransient<SubscriberExporter>();
        services.AddSingleton<SubscriberProfileStore>();
        services.AddSingleton<SubscriberSearch>();
        services.AddSingleton<SubscriberProfiles>();
        services.AddSingleton<SubscriberEraser>();
        services.AddSingleton<SubscriberUpsertStore>();
        services.AddSingleton<SubscriberUpserts>();
        services.AddSingleton<SuppressionStore>();
        services.AddSingleton<ListImportStore>();
        services.AddTransient<ListImportJob>();
        services.AddHostedService<HousekeepingSchedule>();
        services.AddSubscriptionRateLimits();
        return services;
    }
}
