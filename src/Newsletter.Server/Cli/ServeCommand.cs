using System.CommandLine;

namespace Newsletter.Server.Cli;

/// <summary><c>serve</c>: the web host and the Hangfire server in one process.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "Run the web host and the job server.");
        command.SetAction((_, _) => Task.FromResult(0));
        return command;
    }
}
