using System.CommandLine;
using Newsletter.Subscribers;

namespace Newsletter.Server.Cli;

/// <summary><c>lists create</c> and <c>lists show</c>.</summary>
public static class ListsCommand
{
    public static Command Create() => new("lists", "Create and show mailing lists.") { CreateList(), ShowLists() };

    private static Command CreateList()
    {
        var slug = new Argument<string>("slug") { Description = "Short name used in forms and the CLI: lower-case letters, digits and '-'." };
        slug.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } value && !ListSlugRule.IsValid(value))
                result.AddError($"'{value}' is not a valid slug: use {ListSlugRule.Description}.");
        });
        var name = new Option<string>("--name") { Description = "The name subscribers see.", Required = true };
        var description = new Option<string>("--description") { Description = "One line about the list.", DefaultValueFactory = _ => "" };
        var doubleOptIn = new Option<bool>("--double-opt-in")
        {
            Description = "Sign-ups confirm by mail first (the default); `--double-opt-in false` subscribes at once.",
            DefaultValueFactory = _ => true,
        };
        var command = new Command("create", "Create a list.") { slug, name, description, doubleOptIn };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var slugValue = parse.GetValue(slug)!;
            await using var app = await CommandHost.StartAsync(cancellationToken);
            var list = await app.Services.GetRequiredService<SubscriberStore>().CreateListAsync(
                slugValue, parse.GetValue(name)!.Trim(), parse.GetValue(description) ?? "", parse.GetValue(doubleOptIn), cancellationToken);
            if (list is null)
                throw new CommandRefusedException($"There is already a list '{slugValue}'.");
            Console.WriteLine($"Created list {list.Slug} ({list.Name}), {(list.DoubleOptIn ? "double" : "single")} opt-in.");
            return 0;
        });
        return command;
    }

    private static Command ShowLists()
    {
        var command = new Command("show", "Show the lists and how many subscribers each has.");
        command.SetAction(async (_, cancellationToken) =>
        {
            await using var app = await CommandHost.StartAsync(cancellationToken);
            var lists = await app.Services.GetRequiredService<SubscriberStore>().ListSummariesAsync(cancellationToken);
            if (lists.Count == 0)
            {
                Console.WriteLine("No lists yet: `lists create <slug> --name \"…\"` makes one.");
                return 0;
            }
            Console.WriteLine($"{"slug",-20} {"opt-in",-7} {"confirmed",10} {"unconfirmed",12} {"unsubscribed",13}  name");
            foreach (var list in lists)
                Console.WriteLine($"{list.Slug,-20} {(list.DoubleOptIn ? "double" : "single"),-7} {list.Confirmed,10} {list.Unconfirmed,12} {list.Unsubscribed,13}  {list.Name}");
            return 0;
        });
        return command;
    }
}
