namespace Newsletter.Server.Cli;

/// <summary>
/// The application for a one-shot CLI verb: same configuration and database as the server, no job
/// server, its log in <c>logs/cli.log</c> of the data folder so the terminal shows only the verb's answer.
/// </summary>
public static class CommandHost
{
    /// <exception cref="Newsletter.Storage.StartupException">Configuration or database unusable.</exception>
    public static async Task<WebApplication> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = AppHost.CreateBuilder([], runJobs: false);
        CliLogging.ToFile(builder, "cli");
        var app = builder.Build();
        // Which database was used is for the log; the terminal gets the verb's answer alone.
        await AppHost.PrepareAsync(app, message => app.Logger.LogInformation("{Database}", message), cancellationToken);
        return app;
    }
}
