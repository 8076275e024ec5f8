using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;

namespace Newsletter.Operations;

public static class KeyRingSetup
{
    /// <summary>
    /// DataProtection with its key ring in the database (<see cref="DataProtectionKeyStore"/>) under one application
    /// name, so every node behind the proxy signs and reads the same cookies, and they survive restarts. The keys
    /// are not encrypted at rest (nothing per node could encrypt them for all): the database is the trust boundary.
    /// </summary>
    public static IServiceCollection AddSharedKeyRing(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("Newsletter");
        services.AddSingleton<DataProtectionKeyStore>();
        // Resolved at the key ring's first use, after the start has found the database.
        services.AddOptions<KeyManagementOptions>()
            .Configure<DataProtectionKeyStore>((options, store) => options.XmlRepository = store);
        return services;
    }

    /// <summary>
    /// Loads the key ring at start, making its first key if there is none, one node at a time: a node that
    /// made its own key while another made one too would refuse the other's cookies until its next refresh.
    /// </summary>
    public static Task LoadKeyRingAsync(IServiceProvider services, CancellationToken cancellationToken = default) =>
        services.GetRequiredService<DataProtectionKeyStore>().WhileLockedAsync(
            () => services.GetRequiredService<IDataProtectionProvider>().CreateProtector(nameof(LoadKeyRingAsync)).Protect([0]),
            cancellationToken);
}
