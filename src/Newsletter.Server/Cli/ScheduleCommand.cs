using System.CommandLine;
using Newsletter.Scheduling;

namespace Newsletter.Server.Cli;

/// <summary><c>schedule weekly --list SLUG --day DAY --time HH:MM --tz ZONE</c>, <c>schedule list</c>, <c>schedule runs ID</c>, <c>schedule delete ID</c>.</summary>
public static class ScheduleCommand
{
    public static Command Create()
    {
        var list = new Option<string>("--list") { Required = true, Description = "List slugs, comma-separated." };
        var day = new Option<string>("--day") { Required = true, Description = "Weekday, e.g. Thursday." };
        var time = new Option<string>("--time") { Required = true, Description = "Local time HH:MM (24-hour)." };
        var zone = new Option<string>("--tz") { Required = true, Description = "IANA time zone, e.g. Europe/Berlin." };
        var weekly = new Command("weekly", "Every week at this local time, send the oldest ready issue not yet sent to the lists.")
        {
            list, day, time, zone,
        };
        weekly.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = await CommandHost.StartAsync(cancellationToken);
            var slugs = parse.GetValue(list)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var schedule = await app.Services.GetRequiredService<WeeklySchedules>()
                .CreateAsync(slugs, parse.GetValue(day)!, parse.GetValue(time)!, parse.GetValue(zone)!, cancellationToken);
            Console.WriteLine($"Schedule {schedule.Id}: {schedule.Description}.");
            return 0;
        });
        return new Command("schedule", "Recurring sends.") { weekly, List(), Runs(), Delete() };
    }

    private static Command List()
    {
        var command = new Command("list", "The weekly schedules, when each runs next and what its latest run did.");
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = await CommandHost.StartAsync(cancellationToken);
            var all = await app.Services.GetRequiredService<WeeklySchedules>().ListAsync(cancellationToken);
            if (all.Count == 0)
                Console.WriteLine("No schedules; `schedule weekly` creates one.");
            foreach (var (schedule, next, last) in all)
            {
                Console.WriteLine($"{schedule.Id}: {schedule.Description}");
                Console.WriteLine($"  next run: {(next is { } at ? $"{at:yyyy-MM-dd HH:mm} UTC" : "not registered (serve registers it at start)")}");
                Console.WriteLine($"  last run: {(last is null ? "never" : Describe(last))}");
            }
            return 0;
        });
        return command;
    }

    private static Command Runs()
    {
        var id = new Argument<string>("id") { Description = "The schedule's id, as `schedule list` shows it." };
        var limit = new Option<int>("--limit") { Description = "How many runs, newest first.", DefaultValueFactory = _ => 20 };
        var command = new Command("runs", "A schedule's latest runs: the send each started, or that no issue was ready.") { id, limit };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = await CommandHost.StartAsync(cancellationToken);
            var runs = await app.Services.GetRequiredService<WeeklySchedules>()
                .RunsAsync(parse.GetValue(id)!, Math.Max(1, parse.GetValue(limit)), cancellationToken);
            if (runs.Count == 0)
                Console.WriteLine("This schedule has not run yet.");
            foreach (var run in runs)
                Console.WriteLine(Describe(run));
            return 0;
        });
        return command;
    }

    private static Command Delete()
    {
        var id = new Argument<string>("id") { Description = "The schedule's id, as `schedule list` shows it." };
        var command = new Command("delete", "Stop a weekly schedule; sends it already started go on.") { id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = await CommandHost.StartAsync(cancellationToken);
            await app.Services.GetRequiredService<WeeklySchedules>().DeleteAsync(parse.GetValue(id)!, cancellationToken);
            Console.WriteLine($"Deleted schedule {parse.GetValue(id)}.");
            return 0;
        });
        return command;
    }

    private static string Describe(ScheduleRun run) => $"{run.RanAt.ToUniversalTime():yyyy-MM-dd HH:mm} UTC: {run.Outcome}";
}
