using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Newsletter.Storage;

public static class StorageSetup
{
    /// <summary>Registers the database: one <see cref="NpgsqlDataSource"/> (the connection pool) per process.</summary>
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.AddSingleton<DatabaseLocation>();
        services.AddSingleton(sp => NpgsqlDataSource.Create(sp.GetRequiredService<DatabaseLocation>().ConnectionString));
        return services;
    }
}
