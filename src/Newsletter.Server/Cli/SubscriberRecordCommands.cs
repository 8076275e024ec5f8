using System.CommandLine;
using System.Globalization;
using Newsletter.Subscribers;

namespace Newsletter.Server.Cli;

/// <summary><c>subscribers search</c>, <c>show</c>, <c>erase</c> and <c>export-data</c>: one person's records.</summary>
public static class SubscriberRecordCommands
{
    public static IEnumerable<Command> Create() => [Search(), Show(), Erase(), ExportData()];

    private static Command Search()
    {
        var text = new Argument<string>("text") { Description = "The start of an address or a name, any case." };
        var limit = new Option<int>("--limit") { Description = $"Matches to show (1-{SubscriberSearch.MaxPageSize}).", DefaultValueFactory = _ => 20 };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > SubscriberSearch.MaxPageSize)
                result.AddError($"--limit is 1 to {SubscriberSearch.MaxPageSize}.");
        });
        var command = new Command("search", "Find subscribers whose address or name starts with a text.") { text, limit };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = await CommandHost.StartAsync(cancellationToken);
            var page = await app.Services.GetRequiredService<SubscriberSearch>().SearchAsync(parse.GetValue(text)!, null, parse.GetValue(limit), cancellationToken);
            if (page.Matches.Count == 0)
            {
                Console.WriteLine("No subscriber's address or name starts with that.");
                return 0;
            }
            foreach (var match in page.Matches)
                Console.WriteLine($"{match.Email,-40} {match.Name}".TrimEnd());
            if (page.NextCursor is not null)
                Console.WriteLine($"… more: --limit {Math.Min(parse.GetValue(limit) * 2, SubscriberSearch.MaxPageSize)} shows more, or a longer text narrows it.");
            return 0;
        });
        return command;
    }

    private static Command Show()
    {
        var email = new Argument<string>("email") { Description = "The subscriber's address, any case." };
        var command = new Command("show", "One subscriber: lists and status, attributes, consent trail, deliveries.") { email };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = await CommandHost.StartAsync(cancellationToken);
            var profile = await app.Services.GetRequiredService<SubscriberProfiles>().GetAsync(parse.GetValue(email)!, cancellationToken);
            Console.WriteLine($"{profile.Email}  {profile.Name}".TrimEnd());
            Console.WriteLine($"subscriber {profile.Id}, since {Time(profile.CreatedAt)}" +
                (profile.Suppression is null ? "" : $"; suppressed ({profile.Suppression})"));
            Console.WriteLine("lists:");
            foreach (var list in profile.Lists)
                Console.WriteLine($"  {list.ListSlug,-20} {list.Status,-13} {list.Source,-8} since {Time(list.SubscribedAt)}" +
                    (list.ConfirmedAt is { } confirmed ? $", confirmed {Time(confirmed)}" : "") +
                    (list.UnsubscribedAt is { } left ? $", left {Time(left)}" : ""));
            if (profile.Attributes.Count > 0)
            {
                Console.WriteLine("attributes:");
                foreach (var (key, value) in profile.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
                    Console.WriteLine($"  {key}: {value}");
            }
            Console.WriteLine("consent:");
            foreach (var e in profile.ConsentTrail)
                Console.WriteLine($"  {Time(e.At)}  {e.Action,-22} {e.Source,-10} {e.ListSlug ?? "-",-20} {e.Ip ?? "-"}");
            Console.WriteLine("deliveries:");
            foreach (var d in profile.Deliveries)
                Console.WriteLine($"  send {d.SendId,-6} {d.IssueSlug,-30} {d.Status,-8} {Time(d.SentAt ?? d.SendAt)}" +
                    (d.LastError is null ? "" : $"  {d.LastError}") + (d.CameBack is null ? "" : $"  came back: {d.CameBack}"));
            return 0;
        });
        return command;
    }

    private static Command Erase()
    {
        var email = new Argument<string>("email") { Description = "The address to erase, any case." };
        var command = new Command("erase",
            "Delete a subscriber's personal data at once (no question asked); only a hash of the address stays, so no sign-up or import brings it back.")
        { email };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = await CommandHost.StartAsync(cancellationToken);
            var erasure = await app.Services.GetRequiredService<SubscriberEraser>().EraseAsync(parse.GetValue(email)!, new ConsentContext("cli"), cancellationToken);
            if (erasure is { SubscriberErased: false, Suppression: null, ConsentEventsScrubbed: 0, AlreadyErased: true })
            {
                Console.WriteLine($"{erasure.Email} was erased before; nothing more is held.");
                return 0;
            }
            Console.WriteLine($"Erased {erasure.Email}: " + (erasure.SubscriberErased
                ? $"the subscriber, {erasure.Lists} list subscriptions, {erasure.Attributes} attributes"
                : "no subscriber row") +
                (erasure.Suppression is null ? "" : $", the suppression ({erasure.Suppression})") +
                $"; {erasure.ConsentEventsScrubbed} consent events cleared of address, client and details; " +
                $"{erasure.DeliveriesAnonymised} deliveries kept without address or name. Only the address's hash stays, on the suppression list.");
            return 0;
        });
        return command;
    }

    private static Command ExportData()
    {
        var email = new Argument<string>("email") { Description = "The subscriber's address, any case." };
        var output = new Option<FileInfo?>("--out") { Description = "Write to this file instead of standard output." };
        var command = new Command("export-data", "Everything held about one subscriber, as JSON.") { email, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = await CommandHost.StartAsync(cancellationToken);
            var profiles = app.Services.GetRequiredService<SubscriberProfiles>();
            var path = parse.GetValue(output);
            // Into memory first, so an unknown address leaves no empty file behind.
            using var buffer = new MemoryStream();
            await profiles.ExportDataAsync(parse.GetValue(email)!, buffer, cancellationToken);
            buffer.Position = 0;
            // One person's data: readable by its owner only.
            var owned = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                owned.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            await using (var stream = path is null ? Console.OpenStandardOutput() : new FileStream(path.FullName, owned))
                await buffer.CopyToAsync(stream, cancellationToken);
            if (path is null)
                Console.WriteLine();
            else
                Console.Error.WriteLine($"Wrote {path.FullName}.");
            return 0;
        });
        return command;
    }

    private static string Time(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
