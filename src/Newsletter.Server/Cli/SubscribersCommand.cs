using System.CommandLine;
using Newsletter.Subscribers;

namespace Newsletter.Server.Cli;

/// <summary><c>subscribers import</c> and <c>subscribers export</c>; the one-subscriber verbs are in <see cref="SubscriberRecordCommands"/>.</summary>
public static class SubscribersCommand
{
    public static Command Create()
    {
        var command = new Command("subscribers", "Import and export a list's subscribers as CSV; find, show, erase one subscriber, export their data.")
        {
            Import(),
            Export(),
        };
        foreach (var verb in SubscriberRecordCommands.Create())
            command.Add(verb);
        return command;
    }

    private static Command Import()
    {
        var file = new Argument<FileInfo>("file") { Description = "A CSV file with a header row and an email column." }.AcceptExistingOnly();
        var list = new Option<string>("--list") { Description = "The list to add them to.", Required = true };
        var confirmed = new Option<bool>("--confirmed")
        {
            Description = "Subscribe them confirmed: you vouch that they consented. Otherwise they wait, unconfirmed, and get no issues.",
        };
        var command = new Command("import",
            "Add the addresses of a CSV file to a list, in one transaction. Rows whose status column says they left land unsubscribed; " +
            "bounced, cleaned, complained or blocked ones are suppressed (ours, Mailchimp's, listmonk's and Substack's exports are read).")
        { file, list, confirmed };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            await using var app = await CommandHost.StartAsync(cancellationToken);
            var importer = app.Services.GetRequiredService<SubscriberImporter>();
            await using var stream = new FileStream(path.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            var progress = new ProgressLine(path.Length, "importing");
            try
            {
                var summary = await importer.ImportAsync(stream, parse.GetValue(list)!, parse.GetValue(confirmed),
                    rejection => progress.WriteLine(rejection.ToString()), progress, cancellationToken);
                progress.Finish();
                Console.WriteLine(summary.ToString());
                return 0;
            }
            catch (NewsletterException)
            {
                // The progress line ends before the error is reported below it.
                progress.Finish();
                throw;
            }
        });
        return command;
    }

    private static Command Export()
    {
        var list = new Option<string>("--list") { Description = "The list to export.", Required = true };
        var output = new Option<FileInfo?>("--out") { Description = "Write to this file instead of standard output." };
        var command = new Command("export", "Write a list's subscribers as CSV: email, name, status, dates, attributes.") { list, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = await CommandHost.StartAsync(cancellationToken);
            var slug = parse.GetValue(list)!;
            // Checked before --out is created, so a typo leaves no empty file behind.
            if (await app.Services.GetRequiredService<SubscriberStore>().FindListAsync(slug, cancellationToken) is null)
                throw new UnknownListException([slug]);
            var path = parse.GetValue(output);
            await using var stream = path is null ? Console.OpenStandardOutput() : new FileStream(path.FullName, FileMode.Create, FileAccess.Write);
            var rows = await app.Services.GetRequiredService<SubscriberExporter>().ExportAsync(slug, stream, cancellationToken);
            if (path is not null)
                Console.Error.WriteLine($"Wrote {rows} subscribers to {path.FullName}.");
            return 0;
        });
        return command;
    }
}
