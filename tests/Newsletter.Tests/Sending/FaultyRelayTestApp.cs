using Newsletter.Tests.Infrastructure;

namespace Newsletter.Tests.Sending;

/// <summary>
/// The app sending through a <see cref="FaultySmtpPeer"/>, with a 2 s SMTP timeout so that a stalled relay
/// is noticed quickly. Each test scripts the peer and puts it right again when done.
/// </summary>
public class FaultyRelayTestApp : SendingTestApp
{
    public FaultySmtpPeer Relay { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        base.Settings.Concat([
            new("Newsletter:Smtp:Port", Relay.Port.ToString()),
            new("Newsletter:Smtp:TimeoutSeconds", "2"),
            // The health probe's TCP connections would take faults meant for the sender: one at start only.
            new("Newsletter:Health:ProbeSeconds", "300"),
        ]);

    /// <summary>A list of <paramref name="count"/> confirmed readers <c>{tag}-{n}@example.com</c> and a send to it, started now.</summary>
    public async Task<long> SendToNewListAsync(string tag, int count)
    {
        var list = await CreateListAsync(tag);
        await Audience.SubscribeManyAsync($"{tag}-", count, list);
        return (await Scheduler.ScheduleAsync(await StoreSampleIssueAsync(), [tag], at: null)).Id;
    }

    /// <summary>Messages the relay accepted for readers whose address contains <paramref name="tag"/>, and the most any one got.</summary>
    public (int Readers, int MostCopies) DeliveredTo(string tag)
    {
        var copies = Relay.Delivered.Where(d => d.Key.Contains(tag)).Select(d => d.Value).ToList();
        return (copies.Count, copies.DefaultIfEmpty(0).Max());
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Relay.DisposeAsync();
    }
}
