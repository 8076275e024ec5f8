using System.Diagnostics;
using Newsletter.Sending;

namespace Newsletter.Benchmarks;

/// <summary>Follows one send of <see cref="SendBenchmark"/> in the ledger, printing progress every few seconds.</summary>
internal static class SendWatch
{
    /// <summary>Polls the ledger until the send finishes; returns the freeze time the ledger recorded.</summary>
    public static async Task<double?> WaitForFinishAsync(
        SendStore sends, long sendId, SinkProcess? sink, Func<Task<bool>>? cancel, int stopAfter)
    {
        double? freeze = null;
        var progress = Stopwatch.StartNew();
        while (true)
        {
            var send = (await sends.GetSendAsync(sendId))!;
            if (freeze is null && send.PreparedAt is { } prepared && send.FrozenAt is { } frozen)
                freeze = (frozen - prepared).TotalSeconds;
            if (send.Status == SendStatus.Finished)
                return freeze;
            if (cancel is not null && await sink!.AcceptedAsync() >= stopAfter)
            {
                await cancel();
                // Running batches see the cancel at their next flush.
                await Task.Delay(TimeSpan.FromSeconds(3));
                return freeze;
            }
            if (send.Status is SendStatus.Paused or SendStatus.Cancelled)
                throw new InvalidOperationException($"Send {sendId} stopped: {send.Status}, {send.StatusReason}");
            if (progress.Elapsed > TimeSpan.FromSeconds(5))
            {
                Console.Error.WriteLine($"  {send.Status.Name()}: {(sink is null ? "" : $"{await sink.AcceptedAsync():#,0} accepted")}");
                progress.Restart();
            }
            await Task.Delay(250);
        }
    }
}
