using System.CommandLine;
using Newsletter.Api;

namespace Newsletter.Server.Cli;

/// <summary><c>api-keys create NAME [--read-only]</c>, <c>api-keys list</c>, <c>api-keys revoke NAME</c>.</summary>
public static class ApiKeysCommand
{
    public static Command Create() => new("api-keys", "Make, list and revoke keys for the JSON API (/api/v1).")
    {
        CreateKey(), ListKeys(), RevokeKey(),
    };

    private static Command CreateKey()
    {
        var name = new Argument<string>("name") { Description = $"Who uses the key, for the log: {ApiKeys.NameDescription}." };
        var readOnly = new Option<bool>("--read-only") { Description = "The key may only GET." };
        var command = new Command("create", "Make a key; it is printed once and only its hash is kept.") { name, readOnly };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = await CommandHost.StartAsync(cancellationToken);
            var key = await app.Services.GetRequiredService<ApiKeys>().CreateAsync(parse.GetValue(name)!, parse.GetValue(readOnly), cancellationToken);
            Console.WriteLine(key);
            await Console.Error.WriteLineAsync("Keep this key now: only its hash is stored, it cannot be shown again.");
            return 0;
        });
        return command;
    }

    private static Command ListKeys()
    {
        var command = new Command("list", "Every key: name, access, made, last used, revoked.");
        command.SetAction(async (_, cancellationToken) =>
        {
            await using var app = await CommandHost.StartAsync(cancellationToken);
            var keys = await app.Services.GetRequiredService<ApiKeys>().ListAsync(cancellationToken);
            if (keys.Count == 0)
            {
                Console.WriteLine("No API keys yet: `api-keys create NAME` makes one.");
                return 0;
            }
            Console.WriteLine($"{"name",-24} {"access",-10} {"created (UTC)",-20} {"last used (UTC)",-20} revoked (UTC)");
            foreach (var key in keys)
                Console.WriteLine($"{key.Name,-24} {(key.ReadOnly ? "read-only" : "read-write"),-10} {key.CreatedAt,-20:u} " +
                                  $"{key.LastUsedAt?.ToString("u") ?? "never",-20} {key.RevokedAt?.ToString("u") ?? "-"}");
            return 0;
        });
        return command;
    }

    private static Command RevokeKey()
    {
        var name = new Argument<string>("name");
        var command = new Command("revoke", "Revoke a key at once: its next request gets a 401.") { name };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = await CommandHost.StartAsync(cancellationToken);
            await app.Services.GetRequiredService<ApiKeys>().RevokeAsync(parse.GetValue(name)!, cancellationToken);
            Console.WriteLine($"Revoked {parse.GetValue(name)}.");
            return 0;
        });
        return command;
    }
}
