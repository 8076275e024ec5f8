using System.Text;

namespace Newsletter.Sending;

/// <summary>Where a send stands: counts by delivery state, the rate so far and the time left at that rate.</summary>
public sealed record SendProgress(SendRecord Send, IReadOnlyDictionary<DeliveryStatus, int> Counts, DateTime At)
{
    /// <exception cref="SendRequestException">No such send.</exception>
    public static async Task<SendProgress> ReadAsync(SendStore sends, DeliveryStore deliveries, long sendId,
        CancellationToken cancellationToken = default)
    {
        var send = await sends.GetSendAsync(sendId, cancellationToken)
            ?? throw new SendRequestException($"There is no send {sendId}.");
        return new SendProgress(send, await deliveries.CountsAsync(sendId, cancellationToken), DateTime.UtcNow);
    }

    public int Count(DeliveryStatus status) => Counts.GetValueOrDefault(status);

    /// <summary>Messages accepted per second since the first one.</summary>
    public double? Rate
    {
        get
        {
            if (Send.FirstSentAt is not { } first || Count(DeliveryStatus.Sent) == 0)
                return null;
            var seconds = ((Send.FinishedAt ?? At) - first).TotalSeconds;
            return seconds > 0 ? Count(DeliveryStatus.Sent) / seconds : null;
        }
    }

    public TimeSpan? Eta =>
        Rate is { } rate && rate > 0 ? TimeSpan.FromSeconds((Count(DeliveryStatus.Pending) + Count(DeliveryStatus.Sending)) / rate) : null;

    public string Describe()
    {
        var text = new StringBuilder()
            .AppendLine($"send {Send.Id}: {Send.IssueSlug}, {Send.Status.Name()}{(Send.StatusReason is null ? "" : $" ({Send.StatusReason})")}")
            .AppendLine($"  scheduled {Send.ScheduledAt:u}, started {Send.StartedAt?.ToString("u") ?? "-"}, finished {Send.FinishedAt?.ToString("u") ?? "-"}")
            .AppendLine($"  recipients {Send.Recipients?.ToString() ?? "-"}: sent {Count(DeliveryStatus.Sent)}, pending {Count(DeliveryStatus.Pending)}, " +
                        $"sending {Count(DeliveryStatus.Sending)}, failed {Count(DeliveryStatus.Failed)}, skipped {Count(DeliveryStatus.Skipped)}");
        if (Send.PreflightOverride is { } overridden)
            text.AppendLine($"  preflight overridden: {overridden.ReplaceLineEndings("; ")}");
        if (Rate is { } rate)
            text.AppendLine($"  rate {rate:0.#} msg/s{(Eta is { } eta && Send.Status == SendStatus.Sending ? $", about {eta:hh\\:mm\\:ss} left" : "")}");
        return text.ToString();
    }
}
