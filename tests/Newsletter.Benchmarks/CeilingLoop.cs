using System.Diagnostics;
using System.Net.Sockets;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Newsletter.Sending;

namespace Newsletter.Benchmarks;

/// <summary>
/// A loop that builds a message per recipient and sends it over C MailKit connections, with no database and
/// no jobs. With the engine's messages (<see cref="Engine"/>) it is the raw ceiling: the pipeline's rate over
/// it is the cost of our orchestration. With <see cref="PlainMessages"/> it is what a plain MailKit program
/// reaches, the figure the engine's per-message work is built to beat.
/// </summary>
public sealed class CeilingLoop(Func<long, MimeMessage> build, Func<SmtpClient> newClient)
{
    /// <summary>The send's own message per recipient (<see cref="DeliveryMessageFactory"/>: same rendering,
    /// personalisation, headers, DKIM), over the engine's client.</summary>
    public static CeilingLoop Engine(DeliveryMessageFactory messages, long listId) =>
        new(id => messages.Build(Recipient(id, listId)), () => new BulkSmtpClient());

    /// <summary>Recipient <paramref name="subscriberId"/> exactly as the seeded list holds them.</summary>
    public static ClaimedDelivery Recipient(long subscriberId, long listId) =>
        new(subscriberId, listId, $"reader{subscriberId}@example.com", $"Reader {subscriberId}", Attempts: 1, Wanted: true);

    public MimeMessage Build(long subscriberId) => build(subscriberId);

    /// <summary>Sends <paramref name="recipients"/> messages; returns the client-side time from first to last 250.</summary>
    public async Task<(TimeSpan FirstToLast, long Failed)> RunAsync(string host, int port, int connections, int recipients)
    {
        var clock = Stopwatch.StartNew();
        long first = long.MaxValue, last = 0, failed = 0, next = 0;
        var tasks = Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            using var client = newClient();
            // As in the engine: MailKit's own connect leaves Nagle on and stalls pipelined writes.
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(host, port);
            await client.ConnectAsync(socket, host, port, SecureSocketOptions.None);
            long id;
            while ((id = Interlocked.Increment(ref next)) <= recipients)
            {
                using var message = Build(id);
                try
                {
                    await client.SendAsync(message);
                }
                catch (SmtpCommandException)
                {
                    Interlocked.Increment(ref failed);
                    continue;
                }
                var now = clock.ElapsedTicks;
                InterlockedMin(ref first, now);
                InterlockedMax(ref last, now);
            }
            await client.DisconnectAsync(quit: true);
        })).ToArray();
        await Task.WhenAll(tasks);
        return (TimeSpan.FromSeconds((last - first) / (double)Stopwatch.Frequency), failed);
    }

    private static void InterlockedMin(ref long target, long value)
    {
        long seen;
        while (value < (seen = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long seen;
        while (value > (seen = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
