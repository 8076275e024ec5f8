using Microsoft.Extensions.DependencyInjection;

namespace Newsletter.Issues;

public static class IssuesSetup
{
    /// <summary>The stored issues and the way files get there.</summary>
    public static IServiceCollection AddIssues(this IServiceCollection services)
    {
        services.AddSingleton<IssueStore>();
        services.AddTransient<IssueLibrary>();
        return services;
    }
}
