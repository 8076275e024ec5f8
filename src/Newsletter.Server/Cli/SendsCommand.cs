using System.CommandLine;
using Newsletter.Bounces;
using Newsletter.Sending;

namespace Newsletter.Server.Cli;

/// <summary><c>sends</c>, <c>sends show ID</c>, <c>sends pause|resume|cancel ID</c>.</summary>
public static class SendsCommand
{
    public static Command Create()
    {
        var command = new Command("sends", "List sends; show, pause, resume or cancel one.");
        command.SetAction(async (_, cancellationToken) =>
        {
            await using var app = await CommandHost.StartAsync(cancellationToken);
            var sends = await app.Services.GetRequiredService<SendStore>().ListSendsAsync(cancellationToken);
            var bounces = await app.Services.GetRequiredService<BounceStore>().CountsAsync(sends.Select(s => s.Id).ToList(), cancellationToken);
            Console.WriteLine($"{"id",5} {"status",-10} {"scheduled (UTC)",-20} {"recipients",10} {"bounced",8} {"complained",10}  issue");
            foreach (var (send, back) in sends.Zip(bounces))
                Console.WriteLine($"{send.Id,5} {send.Status.Name(),-10} {send.ScheduledAt,-20:u} {send.Recipients?.ToString() ?? "-",10} " +
                                  $"{back.Bounced,8} {back.Complaints,10}  {send.IssueSlug}");
            return 0;
        });

        var id = new Argument<long>("id");
        var show = new Command("show", "Counts by state, bounces and complaints, rate and ETA.") { id };
        show.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = await CommandHost.StartAsync(cancellationToken);
            var progress = await SendProgress.ReadAsync(app.Services.GetRequiredService<SendStore>(),
                app.Services.GetRequiredService<DeliveryStore>(), parse.GetValue(id), cancellationToken);
            Console.Write(progress.Describe());
            var bounces = (await app.Services.GetRequiredService<BounceStore>().CountsAsync([progress.Send.Id], cancellationToken))[0];
            Console.WriteLine($"  bounced {bounces.Bounced} (hard {bounces.Hard}, soft {bounces.Soft}), complained {bounces.Complaints}");
            return 0;
        });
        command.Add(show);
        command.Add(Change("pause", "Stop claiming new batches; in-flight messages finish.", id, (s, i, ct) => s.PauseAsync(i, ct)));
        command.Add(Change("resume", "Continue a paused send.", id, (s, i, ct) => s.ResumeAsync(i, ct)));
        command.Add(Change("cancel", "Stop a send for good.", id, (s, i, ct) => s.CancelAsync(i, ct)));
        return command;
    }

    private static Command Change(string name, string description, Argument<long> id, Func<SendScheduler, long, CancellationToken, Task<bool>> change)
    {
        var command = new Command(name, description) { id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = await CommandHost.StartAsync(cancellationToken);
            var sendId = parse.GetValue(id);
            if (!await change(app.Services.GetRequiredService<SendScheduler>(), sendId, cancellationToken))
            {
                var send = await app.Services.GetRequiredService<SendStore>().GetSendAsync(sendId, cancellationToken);
                throw new CommandRefusedException(send is null
                    ? $"There is no send {sendId}."
                    : $"Send {sendId} is {send.Status.Name()}; it cannot be {name}d from there.");
            }
            Console.WriteLine($"Send {sendId}: {name} done.");
            return 0;
        });
        return command;
    }
}
