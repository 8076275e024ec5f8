using Serilog;
using Serilog.Extensions.Logging;

namespace Newsletter.Server.Cli;

/// <summary>
/// A verb run from a terminal prints a report, not a log: its log lines (hosting, Hangfire, data
/// protection) go to a file in the data folder instead, which the report names.
/// </summary>
public static class CliLogging
{
    /// <summary>Sends the app's logs to <c>logs/{verb}.log</c> in the data folder; returns that path.</summary>
    public static string ToFile(WebApplicationBuilder builder, string verb)
    {
        var path = Path.Combine(AppHost.DataDirectory(builder.Configuration), "logs", $"{verb}.log");
        var file = new LoggerConfiguration()
            .MinimumLevel.Verbose()
            .WriteTo.File(path, outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} {Level:u3} {SourceContext}: {Message:lj}{NewLine}{Exception}")
            .CreateLogger();
        builder.Logging.ClearProviders();
        // As a plain provider, so the Logging section's levels apply to the file as they did to the console.
        builder.Logging.AddProvider(new SerilogLoggerProvider(file, dispose: true));
        return path;
    }
}
