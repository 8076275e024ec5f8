using System.CommandLine;
using System.Globalization;
using Hangfire;
using Newsletter.Sending;

namespace Newsletter.Server.Cli;

/// <summary><c>send &lt;issue.md|slug&gt; --list a,b (--now | --at TIME) [--resend [all]] [--override-preflight] | --test ADDRESS</c>.</summary>
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
        var overridePreflight = new Option<bool>("--override-preflight")
        {
            Description = "Send to the lists even though the issue fails its preflight (see `preflight`); the override is recorded with the send.",
        };
        at.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && ParseMoment(value) is null)
                result.AddError($"'{value}' is not an ISO-8601 time such as 2026-12-03T08:00:00+01:00.");
        });
        var command = new Command("send", "Send an issue to lists, now or at a time, or a test copy to one address.")
        {
            issue, lists, now, at, test, resend, overridePreflight,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(test) is null && result.GetValue(now) == (result.GetValue(at) is not null))
                result.AddError("Give exactly one of --now and --at <ISO-8601 time>.");
        });
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
            var moment = parse.GetValue(at) is { } time ? ParseMoment(time) : null;
            var mode = parse.GetResult(resend) is null ? ResendMode.None
                : parse.GetValue(resend) == ResendAll ? ResendMode.All : ResendMode.Missed;
            var send = await scheduler.ScheduleAsync(stored.Id, slugs, moment, resend: mode,
                overridePreflight: parse.GetValue(overridePreflight), cancellationToken: cancellationToken);
            Console.WriteLine(moment is null
                ? $"Send {send.Id} of {stored.Slug} to {string.Join(", ", slugs)} starts now."
                : $"Send {send.Id} of {stored.Slug} to {string.Join(", ", slugs)} scheduled for {send.ScheduledAt:u}.");
            if (send.PreflightOverride is not null)
                Console.WriteLine("It fails its preflight; it goes ahead as you asked, and the override is recorded with the send.");
            Console.WriteLine($"Follow it with `sends show {send.Id}` or on /hangfire (a `serve` process must be running to send).");
            return 0;
        });
        return command;
    }

    private static DateTime? ParseMoment(string at) =>
        DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var moment) ? moment.UtcDateTime : null;
}
