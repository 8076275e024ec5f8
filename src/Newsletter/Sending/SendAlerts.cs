using Newsletter.Alerts;

namespace Newsletter.Sending;

/// <summary>The operator alerts about a send, each naming it and the commands and page to act on.</summary>
public sealed class SendAlerts(OperatorAlerts alerts)
{
    /// <summary>The send stopped without anyone asking: a failure streak, the relay refusing us, or a failed preflight.</summary>
    public Task<bool> PausedItselfAsync(long sendId, string reason, CancellationToken cancellationToken = default) =>
        alerts.RaiseAsync(new Alert($"send {sendId} paused itself",
            $"""
            Send {sendId} paused itself and sends nothing until it is resumed.
            Why: {reason}

            Once the cause is dealt with: newsletter sends resume {sendId} (or sends cancel {sendId}).
            Details: newsletter sends show {sendId}, or {Page(sendId)}
            """), cancellationToken);

    /// <summary>The send has taken more than <paramref name="factor"/> times the duration first estimated for it; raised once per send.</summary>
    public Task<bool> SlowAsync(SendProgress progress, TimeSpan expected, TimeSpan taken, double factor,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var id = progress.Send.Id;
        return alerts.RaiseAsync(new Alert($"send {id} is slower than its estimate",
            $"""
            Send {id} has been sending for {Duration(taken)} since its first message; it was first estimated to take {Duration(expected)} in all (more than {factor:0.#}× that now).
            Sent {progress.Count(DeliveryStatus.Sent)}, still to go {progress.Count(DeliveryStatus.Pending) + progress.Count(DeliveryStatus.Sending)}, failed {progress.Count(DeliveryStatus.Failed)}{(progress.Rate is { } rate ? $", {rate:0.#} msg/s so far" : "")}.

            Details: newsletter sends show {id}, or {Page(id)}; newsletter sends pause {id} to stop it.
            """, $"send {id} slow"), cancellationToken);
    }

    private string Page(long sendId) => alerts.Link($"/admin/sends/{sendId}");

    private static string Duration(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{(int)span.TotalHours} h {span.Minutes} min" : $"{Math.Max(1, (int)Math.Round(span.TotalMinutes))} min";
}
