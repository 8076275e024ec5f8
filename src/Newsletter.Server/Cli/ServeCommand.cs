using System.CommandLine;
using Newsletter.Operations;

namespace Newsletter.Server.Cli;

/// <summary><c>serve</c>: the web host and the Hangfire server in one process.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = $"Where to listen (default {AppHost.DefaultUrl})." };
        var command = new Command("serve", "Run the web host (public pages, admin, /hangfire) and the job server.") { urls };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var app = AppHost.CreateBuilder(ArgsFor(parse.GetValue(urls)), runJobs: true).Build();
            await AppHost.PrepareServerAsync(app, cancellationToken: cancellationToken);
            var password = app.Services.GetRequiredService<OperatorCredentials>().EnsureAdminPassword();
            if (password is not null)
                Console.WriteLine($"Generated the admin password (shown once, only its hash is kept): {password}");
            app.MapEndpoints();
            await app.RunAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    private static string[] ArgsFor(string? urls) => urls is null ? [] : [$"--urls={urls}"];
}
