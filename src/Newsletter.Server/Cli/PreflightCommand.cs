using System.CommandLine;
using Newsletter.Content;
using Newsletter.Issues;
using Newsletter.Preflight;

namespace Newsletter.Server.Cli;

/// <summary>
/// <c>preflight &lt;issue.md|slug&gt;</c>: every check an issue passes before it goes to a list, one line each;
/// exit code 1 when a line fails, as <c>send</c> would refuse it then.
/// </summary>
public static class PreflightCommand
{
    public static Command Create()
    {
        var issue = new Argument<string>("issue") { Description = "An issue file (not stored) or the slug of a stored issue." };
        var command = new Command("preflight", "Check an issue before sending: size, links, images, merge tokens, headers, DKIM, SPF/DMARC, spam score.")
        {
            issue,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = await CommandHost.StartAsync(cancellationToken);
            var preflight = app.Services.GetRequiredService<IssuePreflight>();
            var name = parse.GetValue(issue)!;
            var reader = app.Services.GetRequiredService<IssueReader>();
            var report = await preflight.RunAsync(File.Exists(name)
                ? await reader.ReadAsync(name, cancellationToken)
                : await FindStoredAsync(app.Services, reader, name, cancellationToken), cancellationToken);

            var output = parse.InvocationConfiguration.Output;
            await output.WriteAsync(Describe(report));
            var failures = report.Failures.Count();
            await output.WriteLineAsync(failures == 0
                ? $"{report.IssueSlug}: no check fails."
                : $"{report.IssueSlug}: {failures} failing line{(failures == 1 ? "" : "s")}; `send` refuses it unless given --override-preflight.");
            return failures == 0 ? 0 : CliInvocation.Refused;
        });
        return command;
    }

    /// <summary>One line per finding, <c>verdict  check: message</c>, its details and DNS record indented under it.</summary>
    public static string Describe(PreflightReport report) =>
        string.Concat(report.Lines.Select(line =>
        {
            var text = $"{line.Verdict.ToString().ToLowerInvariant(),-6}  {line.Check}: {line.Message}\n";
            if (line.Record is { } record)
                text += $"        {record}\n";
            if (line.Detail is { Length: > 0 } detail)
                text += string.Concat(detail.Split('\n').Select(item => $"        {item}\n"));
            return text;
        }));

    private static async Task<Issue> FindStoredAsync(IServiceProvider services, IssueReader reader, string slug, CancellationToken cancellationToken = default)
    {
        var stored = await services.GetRequiredService<IssueStore>().FindIssueAsync(slug, cancellationToken)
            ?? throw new CommandRefusedException($"No stored issue has the slug '{slug}', and no such file exists.");
        return reader.Parse(stored.Source, stored.Slug);
    }
}
