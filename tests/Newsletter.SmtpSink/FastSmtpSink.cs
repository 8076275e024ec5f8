using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Newsletter.SmtpSink;

/// <summary>
/// A minimal SMTP responder on a loopback port that accepts and discards mail, counting what it accepted
/// by Message-ID. Cheap enough (one buffer scan per message, no string per body line) that a sender
/// measured against it is measuring itself, not the sink; with <see cref="RecipientReply"/> and
/// <see cref="DropDuringDataEvery"/> it also plays a relay that refuses recipients or loses connections.
/// </summary>
/// <remarks>
/// Speaks EHLO/HELO (advertising PIPELINING, 8BITMIME and SIZE), MAIL, RCPT, DATA, RSET, NOOP and QUIT;
/// pipelined commands are answered in order, several replies per write.
/// </remarks>
public sealed class FastSmtpSink : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<SinkSession, Task> _sessions = new();
    private readonly Task _accepting;
    private long _accepted;
    private long _recipients;
    private long _dataCommands;
    private long _dropped;
    private long _firstAcceptedTicks;
    private long _lastAcceptedTicks;

    /// <param name="port">0 picks a free port; see <see cref="Port"/>.</param>
    public FastSmtpSink(int port = 0)
    {
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start(backlog: 512);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync(_stop.Token);
    }

    public int Port { get; }

    /// <summary>
    /// Decides each RCPT: given the address (without angle brackets), return a full reply line such as
    /// <c>451 4.7.1 Try again later</c> or <c>550 5.1.1 No such user</c> to refuse it, or null to accept.
    /// Called from the connections' threads at once.
    /// </summary>
    public Func<string, string?>? RecipientReply { get; set; }

    /// <summary>
    /// 0: never. N: on every Nth DATA (counted over all connections) the sink reads part of the body and
    /// then resets the connection without a reply; that message is not counted as accepted.
    /// </summary>
    public int DropDuringDataEvery { get; set; }

    /// <summary>Accepted messages per Message-ID (the header value without angle brackets).</summary>
    public ConcurrentDictionary<string, int> MessageIds { get; } = new(StringComparer.Ordinal);

    /// <summary>Accepted messages per second of arrival (Unix seconds, this machine's clock): the pace a relay sees.</summary>
    public ConcurrentDictionary<long, int> AcceptedPerSecond { get; } = new();

    /// <summary>Messages answered with 250 after DATA, including those without a Message-ID header.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Accepted recipients of accepted messages.</summary>
    public long Recipients => Interlocked.Read(ref _recipients);

    /// <summary>Connections reset on purpose by <see cref="DropDuringDataEvery"/>.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Accepted messages beyond the first of each Message-ID.</summary>
    public long Duplicates => MessageIds.Values.Sum(count => (long)count - 1);

    public DateTime? FirstAcceptedAt => TicksToTime(Interlocked.Read(ref _firstAcceptedTicks));

    public DateTime? LastAcceptedAt => TicksToTime(Interlocked.Read(ref _lastAcceptedTicks));

    /// <summary>Forgets every count, so one sink can measure several runs in turn.</summary>
    public void Reset()
    {
        MessageIds.Clear();
        AcceptedPerSecond.Clear();
        Interlocked.Exchange(ref _accepted, 0);
        Interlocked.Exchange(ref _recipients, 0);
        Interlocked.Exchange(ref _dataCommands, 0);
        Interlocked.Exchange(ref _dropped, 0);
        Interlocked.Exchange(ref _firstAcceptedTicks, 0);
        Interlocked.Exchange(ref _lastAcceptedTicks, 0);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        foreach (var session in _sessions.Keys)
            session.Abort();
        await Task.WhenAll(_sessions.Values);
        _stop.Dispose();
    }

    /// <summary>Whether this DATA is the one to drop; counts every DATA.</summary>
    internal bool ShouldDropNextData()
    {
        var every = DropDuringDataEvery;
        var n = Interlocked.Increment(ref _dataCommands);
        return every > 0 && n % every == 0;
    }

    internal void NoteDropped() => Interlocked.Increment(ref _dropped);

    internal void NoteAccepted(string? messageId, int recipients)
    {
        var now = DateTime.UtcNow.Ticks;
        Interlocked.CompareExchange(ref _firstAcceptedTicks, now, 0);
        // Connections finish out of order: keep the latest moment, not the last writer's.
        long last;
        while ((last = Interlocked.Read(ref _lastAcceptedTicks)) < now
               && Interlocked.CompareExchange(ref _lastAcceptedTicks, now, last) != last)
        {
        }
        AcceptedPerSecond.AddOrUpdate((now - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond, 1, static (_, count) => count + 1);
        if (messageId is not null)
            MessageIds.AddOrUpdate(messageId, 1, static (_, count) => count + 1);
        Interlocked.Add(ref _recipients, recipients);
        Interlocked.Increment(ref _accepted);
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            socket.NoDelay = true;
            var session = new SinkSession(this, socket);
            _sessions[session] = Task.Run(async () =>
            {
                await session.RunAsync(cancellationToken);
                _sessions.TryRemove(session, out _);
            }, CancellationToken.None);
        }
    }

    private static DateTime? TicksToTime(long ticks) => ticks == 0 ? null : new DateTime(ticks, DateTimeKind.Utc);
}
