using System.CommandLine;
using Newsletter.Scheduling;

namespace Newsletter.Server.Cli;

/// <summary><c>schedule weekly --list SLUG --day DAY --time HH:MM --tz ZONE</c>.</summary>
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
        return new Command("schedule", "Recurring sends.") { weekly };
    }
}
