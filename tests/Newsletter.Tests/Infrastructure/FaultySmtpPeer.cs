using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Newsletter.Tests.Infrastructure;

/// <summary>What a <see cref="FaultySmtpPeer"/> connection does wrong.</summary>
public enum PeerFault
{
    None,

    /// <summary>Greets with <c>421</c> and closes, as a relay with too many connections.</summary>
    Greet421,

    /// <summary>Accepts the TCP connection and never says a word.</summary>
    Silent,

    /// <summary>Reads the whole message after DATA and never answers it.</summary>
    StallAfterData,

    /// <summary>Reads part of the message after DATA and closes the socket without a reply.</summary>
    DropMidData,

    /// <summary>Offers STARTTLS, agrees to it, then sends bytes that are no TLS handshake and closes.</summary>
    GarbageTls,
}

/// <summary>
/// A loopback SMTP peer scripted to misbehave: per connection (<see cref="Misbehave"/>), per recipient
/// (<see cref="RecipientReply"/>, exact reply lines) and at MAIL FROM (<see cref="SenderReply"/>). It offers
/// neither PIPELINING nor CHUNKING, so the client speaks one command at a time and sends with DATA.
/// </summary>
public sealed class FaultySmtpPeer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, Task> _sessions = new();
    private readonly ConcurrentDictionary<string, int> _offers = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();
    private readonly Task _accepting;
    private PeerFault _fault;
    private int _faultsLeft;
    private int _connections;
    private int _authAttempts;
    private int _faulted;

    public FaultySmtpPeer()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>
    /// The reply to each RCPT TO, from the address and how often it was offered (1 the first time): null
    /// accepts; otherwise complete reply lines, several joined by CRLF for a multi-line reply.
    /// </summary>
    public Func<string, int, string?>? RecipientReply { get; set; }

    /// <summary>The reply to MAIL FROM, when not the usual 250.</summary>
    public string? SenderReply { get; set; }

    /// <summary>Whether EHLO offers STARTTLS (needed before <see cref="PeerFault.GarbageTls"/> can happen).</summary>
    public bool OffersStartTls { get; set; }

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Whether EHLO offers AUTH PLAIN, which the peer then accepts whatever the password.</summary>
    public bool OffersAuth { get; set; }

    /// <summary>AUTH commands received: each carried a password, in clear unless TLS was on.</summary>
    public int AuthAttempts => Volatile.Read(ref _authAttempts);

    /// <summary>Connections that misbehaved since the last <see cref="Misbehave"/>.</summary>
    public int Faulted => Volatile.Read(ref _faulted);

    /// <summary>Messages answered with 250, per recipient address.</summary>
    public ConcurrentDictionary<string, int> Delivered { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The next <paramref name="connections"/> connections (all, by default) commit <paramref name="fault"/>.</summary>
    public void Misbehave(PeerFault fault, int connections = int.MaxValue)
    {
        lock (_gate)
            (_fault, _faultsLeft, _faulted) = (fault, connections, 0);
    }

    /// <summary>Closes every open connection, so the client's next message needs a new one.</summary>
    public void CloseAll()
    {
        foreach (var socket in _sessions.Keys)
            socket.Close();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        CloseAll();
        await Task.WhenAll(_sessions.Values);
        _stop.Dispose();
    }

    private PeerFault NextFault()
    {
        lock (_gate)
        {
            if (_faultsLeft <= 0 || _fault == PeerFault.None)
                return PeerFault.None;
            _faultsLeft--;
            _faulted++;
            return _fault;
        }
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            Interlocked.Increment(ref _connections);
            var fault = NextFault();
            // Listed before it starts, so a session that ends at once is not listed after it removed itself.
            _sessions[socket] = Task.CompletedTask;
            var session = Task.Run(async () =>
            {
                try
                {
                    await ServeAsync(socket, fault, _stop.Token);
                }
                catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
                {
                    // The client hung up, CloseAll closed the socket, or the peer stops: this session is over.
                }
                finally
                {
                    socket.Dispose();
                    _sessions.TryRemove(socket, out _);
                }
            });
            _sessions.TryUpdate(socket, session, Task.CompletedTask);
        }
    }

    private async Task ServeAsync(Socket socket, PeerFault fault, CancellationToken stop)
    {
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        using var reader = new StreamReader(stream, Encoding.Latin1);
        async Task ReplyAsync(string lines) => await stream.WriteAsync(Encoding.Latin1.GetBytes(lines + "\r\n"), stop);

        if (fault == PeerFault.Greet421)
        {
            await ReplyAsync("421 4.3.2 peer.test Service not available, closing transmission channel");
            return;
        }
        if (fault == PeerFault.Silent)
        {
            // Read (and ignore) until the client gives up and closes.
            while (await reader.ReadLineAsync(stop) is not null) { }
            return;
        }

        await ReplyAsync("220 peer.test ESMTP ready");
        var recipients = new List<string>();
        while (await reader.ReadLineAsync(stop) is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    await ReplyAsync("250-peer.test" + (OffersStartTls ? "\r\n250-STARTTLS" : "") + (OffersAuth ? "\r\n250-AUTH PLAIN" : "")
                        + "\r\n250-ENHANCEDSTATUSCODES\r\n250 8BITMIME");
                    break;
                case "AUTH" when OffersAuth:
                    Interlocked.Increment(ref _authAttempts);
                    await ReplyAsync("235 2.7.0 Authentication successful");
                    break;
                case "HELO" or "NOOP":
                    await ReplyAsync("250 2.0.0 Ok");
                    break;
                case "STARTTLS" when fault == PeerFault.GarbageTls:
                    await ReplyAsync("220 2.0.0 Ready to start TLS");
                    await ReplyAsync("this is not a TLS server hello, it is plain text");
                    return;
                case "MAIL":
                    recipients.Clear();
                    await ReplyAsync(SenderReply ?? "250 2.1.0 Ok");
                    break;
                case "RCPT":
                    var address = Between(line, '<', '>');
                    var offered = _offers.AddOrUpdate(address, 1, (_, n) => n + 1);
                    var refusal = RecipientReply?.Invoke(address, offered);
                    if (refusal is null)
                        recipients.Add(address);
                    await ReplyAsync(refusal ?? "250 2.1.5 Ok");
                    break;
                case "DATA" when recipients.Count == 0:
                    await ReplyAsync("554 5.5.1 No valid recipients");
                    break;
                case "DATA":
                    await ReplyAsync("354 End data with <CR><LF>.<CR><LF>");
                    if (!await ReadMessageAsync(reader, fault, stop))
                        return;
                    if (fault == PeerFault.StallAfterData)
                    {
                        while (await reader.ReadLineAsync(stop) is not null) { }
                        return;
                    }
                    foreach (var recipient in recipients)
                        Delivered.AddOrUpdate(recipient, 1, (_, n) => n + 1);
                    recipients.Clear();
                    await ReplyAsync("250 2.0.0 Ok: queued");
                    break;
                case "RSET":
                    recipients.Clear();
                    await ReplyAsync("250 2.0.0 Ok");
                    break;
                case "QUIT":
                    await ReplyAsync("221 2.0.0 Bye");
                    return;
                default:
                    await ReplyAsync("502 5.5.2 Command not recognised");
                    break;
            }
        }
    }

    /// <summary>Reads a message up to its lone dot; false when the fault is to drop the connection part-way.</summary>
    private static async Task<bool> ReadMessageAsync(StreamReader reader, PeerFault fault, CancellationToken stop)
    {
        var lines = 0;
        while (await reader.ReadLineAsync(stop) is { } line)
        {
            if (line == ".")
                return true;
            if (fault == PeerFault.DropMidData && ++lines == 20)
                return false;
        }
        return false;
    }

    private static string Between(string text, char open, char close)
    {
        var start = text.IndexOf(open) + 1;
        var end = text.IndexOf(close, start);
        return start > 0 && end > start ? text[start..end] : "";
    }
}
