using System.CommandLine;
using Newsletter.Issues;
using Newsletter.Sending;

namespace Newsletter.Server.Cli;

/// <summary><c>issues add FILE</c>, <c>issues ready SLUG</c>, <c>issues list</c>.</summary>
public static class IssuesCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The issue's Markdown file." };
        var add = new Command("add", "Store an issue (a new version replaces the old one of the same slug).") { file };
        add.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = await CommandHost.StartAsync(cancellationToken);
            var issue = await app.Services.GetRequiredService<IssueLibrary>().AddIssueAsync(parse.GetValue(file)!, cancellationToken);
            Console.WriteLine($"Stored issue {issue.Slug}: {issue.Title}");
            return 0;
        });

        var slug = new Argument<string>("slug");
        var ready = new Command("ready", "Mark an issue ready for the weekly schedule.") { slug };
        ready.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = await CommandHost.StartAsync(cancellationToken);
            if (!await app.Services.GetRequiredService<IssueStore>().MarkReadyAsync(parse.GetValue(slug)!, cancellationToken))
                throw new CommandRefusedException($"No stored issue has the slug '{parse.GetValue(slug)}'; see `issues list`.");
            Console.WriteLine($"Issue {parse.GetValue(slug)} is ready; the next weekly run sends it.");
            return 0;
        });

        var list = new Command("list", "Stored issues, oldest first.");
        list.SetAction(async (_, cancellationToken) =>
        {
            await using var app = await CommandHost.StartAsync(cancellationToken);
            Console.WriteLine($"{"slug",-40} {"ready",-20} {"sends",5}  title");
            foreach (var (issue, sends) in await app.Services.GetRequiredService<IssueStore>().ListIssuesAsync(cancellationToken))
                Console.WriteLine($"{issue.Slug,-40} {(issue.ReadyAt is { } r ? r.ToString("u") : "-"),-20} {sends,5}  {issue.Title}");
            return 0;
        });

        return new Command("issues", "Store issues and mark them ready.") { add, ready, list };
    }

    /// <summary>A path names a file to store (again); anything else is the slug of a stored issue.</summary>
    internal static async Task<IssueRecord> ResolveIssueAsync(IServiceProvider services, string issue, CancellationToken cancellationToken = default)
    {
        if (issue.EndsWith(".md", StringComparison.OrdinalIgnoreCase) || File.Exists(issue))
            return await services.GetRequiredService<IssueLibrary>().AddIssueAsync(issue, cancellationToken);
        return await services.GetRequiredService<IssueStore>().FindIssueAsync(issue, cancellationToken)
            ?? throw new CommandRefusedException($"No stored issue has the slug '{issue}', and no such file exists.");
    }
}
