using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;

namespace Newsletter.Bounces;

public static class BouncesSetup
{
    /// <summary>Reading bounces and complaints, and what they do to the list; the mailbox job is scheduled when the host starts.
    /// The webhooks are mapped by <see cref="BounceWebhooks.MapBounceWebhooks"/>.</summary>
    public static IServiceCollection AddBounces(this IServiceCollection services)
    {
        services.AddSingleton<BounceStore>();
        services.AddSingleton<BounceRecorder>();
        services.AddSingleton(provider => new BounceClassifier(provider.GetRequiredService<IOptions<BouncesOptions>>().Value.Address));
        services.AddTransient<ReadBounceMailboxJob>();
        services.AddHttpClient();
        services.AddHostedService<BounceMailboxSchedule>();
        return services;
    }
}
