namespace Newsletter.Server.Cli;

/// <summary>The application for a one-shot CLI verb: same configuration and database as the server, no job server, quiet logs.</summary>
public static class CommandHost
{
    /// <exception cref="Newsletter.Storage.StartupException">Configuration or database unusable.</exception>
    public static async Task<WebApplication> StartAsync(CancellationToken cancellationToken)
    {
        var builder = AppHost.CreateBuilder([], runJobs: false);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        await AppHost.PrepareAsync(app, cancellationToken);
        return app;
    }
}
