using System.Net;
using System.Net.Sockets;
using Newsletter.Tests.Infrastructure;

namespace Newsletter.Tests.Security;

/// <summary>
/// A real <c>serve</c> process for the attack tests, and clients that connect from chosen loopback
/// addresses (127.0.0.2, 127.0.0.3, …), so per-client limits meet really distinct clients.
/// </summary>
public sealed class AttackedServer : IAsyncDisposable
{
    private AttackedServer(ServerProcess process, Uri baseAddress)
    {
        Process = process;
        BaseAddress = baseAddress;
    }

    public ServerProcess Process { get; }

    public Uri BaseAddress { get; }

    /// <summary>Starts <c>serve</c> and waits until it answers <c>/login</c>.</summary>
    public static async Task<AttackedServer> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var port = TestApp.FreePort();
        var process = ServerProcess.Serve(settings, port);
        var server = new AttackedServer(process, new Uri($"http://127.0.0.1:{port}"));
        using var probe = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                var output = process.Output;
                await server.DisposeAsync();
                throw new TimeoutException($"serve did not come up (exited: {process.HasExited}):\n{output}");
            }
            try
            {
                if ((await probe.GetAsync("/login")).StatusCode == HttpStatusCode.OK)
                    return server;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or too busy starting to answer within the probe's timeout.
            }
            await Task.Delay(200);
        }
    }

    /// <summary>A client whose connections come from <paramref name="clientAddress"/>, with its own cookies.</summary>
    public HttpClient ClientFrom(string clientAddress = "127.0.0.1")
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            CookieContainer = new CookieContainer(),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(clientAddress), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = BaseAddress };
    }

    public async ValueTask DisposeAsync() => await Process.DisposeAsync();
}
