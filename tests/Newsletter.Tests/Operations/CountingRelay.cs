using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Newsletter.Tests.Operations;

/// <summary>
/// A loopback SMTP listener that greets, answers QUIT and counts every connection it accepts; it can be
/// stopped and started again on the same port, as a relay that goes away and comes back.
/// </summary>
public sealed class CountingRelay : IAsyncDisposable
{
    private TcpListener? _listener;
    private CancellationTokenSource? _stop;
    private Task _accepting = Task.CompletedTask;
    private int _connections;

    public CountingRelay()
    {
        Start(0);
        Port = ((IPEndPoint)_listener!.LocalEndpoint).Port;
    }

    public int Port { get; }

    public int Connections => Volatile.Read(ref _connections);

    public void Start() => Start(Port);

    public async Task StopAsync()
    {
        _stop?.Cancel();
        _listener?.Stop();
        await _accepting;
        _listener = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private void Start(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _listener = listener;
        _stop = new CancellationTokenSource();
        _accepting = AcceptAsync(listener, _stop.Token);
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            Interlocked.Increment(ref _connections);
            _ = ServeAsync(client, stop);
        }
    }

    private static async Task ServeAsync(TcpClient client, CancellationToken stop)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                await stream.WriteAsync("220 relay.test ESMTP\r\n"u8.ToArray(), stop);
                using var reader = new StreamReader(stream, Encoding.ASCII);
                while (await reader.ReadLineAsync(stop) is { } line)
                {
                    var quit = line.StartsWith("QUIT", StringComparison.OrdinalIgnoreCase);
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(quit ? "221 bye\r\n" : "502 not here\r\n"), stop);
                    if (quit)
                        return;
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
            {
                // The peer went, or the relay stops: either ends this connection.
            }
        }
    }
}
