using System.CommandLine;
using System.CommandLine.Parsing;
using Newsletter.Preflight;
using Newsletter.Scheduling;
using Newsletter.Sending;
using Newsletter.Storage;
using Newsletter.Subscribers;

namespace Newsletter.Server.Cli;

/// <summary>
/// Runs a verb and reports every error one way: <c>newsletter: message</c> on standard error, then the
/// CLI's hint of what to type where there is one; exit code 1 for a refused request or bad arguments,
/// 2 when the app cannot start (configuration, database).
/// </summary>
public static class CliInvocation
{
    public const int Refused = 1;
    public const int CannotStart = 2;

    public static async Task<int> RunAsync(
        RootCommand root, string[] args, TextWriter? output = null, TextWriter? error = null, CancellationToken cancellationToken = default)
    {
        error ??= Console.Error;
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var parseError in parse.Errors)
                await error.WriteLineAsync($"newsletter: {parseError.Message}");
            await error.WriteLineAsync($"See `newsletter {VerbPath(parse.CommandResult)}--help`.");
            return Refused;
        }
        var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false, Error = error };
        if (output is not null)
            configuration.Output = output;
        try
        {
            return await parse.InvokeAsync(configuration, cancellationToken);
        }
        catch (Exception e) when (e is NewsletterException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"newsletter: {e.Message}");
            if (Hint(e) is { } hint)
                await error.WriteLineAsync(hint);
            return e is StartupException ? CannotStart : Refused;
        }
    }

    private static string? Hint(Exception error) => error switch
    {
        IssueAlreadySentException sent =>
            "To send it to those on the list who did not get it, add --resend; to everyone again, --resend all " +
            $"(`sends show {sent.EarlierSend.Id}` shows the earlier send).",
        UnknownListException => "`lists show` shows the lists; `lists create` makes one.",
        UnknownScheduleException => "`schedule list` shows the schedules there are.",
        PreflightFailedException failed =>
            PreflightCommand.Describe(failed.Report with { Lines = [.. failed.Report.Failures] }) +
            "Fix the issue, or add --override-preflight to send it anyway (the override is recorded with the send); " +
            $"`preflight {failed.Report.IssueSlug}` shows every line.",
        _ => null,
    };

    /// <summary>The verbs that were parsed, e.g. <c>lists create </c>; empty for the root.</summary>
    private static string VerbPath(CommandResult command)
    {
        var names = new List<string>();
        for (var result = command; result.Parent is CommandResult parent; result = parent)
            names.Insert(0, result.Command.Name);
        return names.Count == 0 ? "" : string.Join(' ', names) + " ";
    }
}
