using System.CommandLine;
using System.Globalization;
using Hangfire;
using Newsletter.Sending;

namespace Newsletter.Server.Cli;

/// <summary><c>send &lt;issue.md|slug&gt; --list a,b (--now | --at TIME) [--resend [all]] | --test ADDRESS</c>.</summary>
public static class SendCommand
{
    private const string ResendAll = "all";

    public static Command Create()
    {
        var issue = new Argument<string>("issue") { Description = "An issue file (stored first) or the slug of a stored issue." };
        var lists = new Option<string?>("--list") { Description = "List slugs, comma-separated." };
        var now = new Option<bool>("--now") { Description = "Start at once." };
        var at = new Option<string?>("--at") { Description = "Start at this ISO-8601 time, e.g. 2026-12-03T08:00:00+01:00." };
        var test = new Option<string?>("--test") { Description = "Send one copy, as a subscriber gets it, to this address at once instead (\"Sam <sam@example.com>\" greets Sam)." };
        var resend = new Option<string?>("--resend")
        {
            Description = "Send an issue the lists already had again: alone, to those who did not get it (new readers, " +
                          "failures); 'all' to everyone.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        resend.AcceptOnlyFromAmong(ResendAll);
        var command = new Command("send", "Send an issue to lists, now or at a time, or a test copy to one address.")
        {
            issue, lists, now, at, test, resend,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = await CommandHost.StartAsync(cancellationToken);
            var services = app.Services;
            var scheduler = services.GetRequiredService<SendScheduler>();
            var stored = await IssuesCommand.ResolveIssueAsync(services, parse.GetValue(issue)!, cancellationToken);

            if (parse.GetValue(test) is { } address)
            {
                var jobId = services.GetRequiredService<TestSends>().Enqueue(stored.Id, address);
                Console.WriteLine($"Test copy of {stored.Slug} to {address} queued (job {jobId}, transactional queue).");
                return 0;
            }

            var slugs = (parse.GetValue(lists) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var moment = ParseMoment(parse.GetValue(now), parse.GetValue(at));
            var mode = parse.GetResult(resend) is null ? ResendMode.None
                : parse.GetValue(resend) == ResendAll ? ResendMode.All : ResendMode.Missed;
            SendRecord send;
            try
            {
                send = await scheduler.ScheduleAsync(stored.Id, slugs, moment, resend: mode, cancellationToken: cancellationToken);
            }
            catch (IssueAlreadySentException e)
            {
                Console.Error.WriteLine($"newsletter: {e.Message}");
                Console.Error.WriteLine($"To send it to those on the list who did not get it, add --resend; to everyone again, --resend all " +
                                        $"(`sends show {e.EarlierSend.Id}` shows the earlier send).");
                return 1;
            }
            Console.WriteLine(moment is null
                ? $"Send {send.Id} of {stored.Slug} to {string.Join(", ", slugs)} starts now."
                : $"Send {send.Id} of {stored.Slug} to {string.Join(", ", slugs)} scheduled for {send.ScheduledAt:u}.");
            Console.WriteLine($"Follow it with `sends show {send.Id}` or on /hangfire (a `serve` process must be running to send).");
            return 0;
        });
        return command;
    }

    private static DateTime? ParseMoment(bool now, string? at)
    {
        if (now == (at is not null))
            throw new SendRequestException("Give exactly one of --now and --at <ISO-8601 time>.");
        if (at is null)
            return null;
        if (!DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var moment))
            throw new SendRequestException($"'{at}' is not an ISO-8601 time such as 2026-12-03T08:00:00+01:00.");
        return moment.UtcDateTime;
    }
}
