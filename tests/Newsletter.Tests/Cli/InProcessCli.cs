using System.CommandLine;
using Newsletter.Server.Cli;

namespace Newsletter.Tests.Cli;

/// <summary>Verbs run in this process through the CLI's one error path, their two streams captured.</summary>
internal static class InProcessCli
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(Command[] verbs, params string[] args)
    {
        var root = new RootCommand();
        foreach (var verb in verbs)
            root.Subcommands.Add(verb);
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await CliInvocation.RunAsync(root, args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }
}
