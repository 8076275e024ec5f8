using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;

namespace Newsletter.Sending;

/// <summary>
/// A fixed number of SMTP connections per process (Smtp:PoolSize). A sender rents one, uses it alone,
/// and returns it; connections stay open between batches.
/// </summary>
public sealed class SmtpConnectionPool : IAsyncDisposable
{
    private readonly Channel<SmtpConnection> _idle;
    private readonly List<SmtpConnection> _all = [];

    public SmtpConnectionPool(IOptions<SmtpOptions> options)
    {
        _idle = Channel.CreateBounded<SmtpConnection>(options.Value.PoolSize);
        for (var i = 0; i < options.Value.PoolSize; i++)
        {
            var connection = new SmtpConnection(options.Value);
            _all.Add(connection);
            _idle.Writer.TryWrite(connection);
        }
    }

    public int Size => _all.Count;

    /// <summary>Waits for a free connection (not necessarily connected yet).</summary>
    public ValueTask<SmtpConnection> RentAsync(CancellationToken cancellationToken = default) => _idle.Reader.ReadAsync(cancellationToken);

    public void Return(SmtpConnection connection) => _idle.Writer.TryWrite(connection);

    public async ValueTask DisposeAsync()
    {
        _idle.Writer.TryComplete();
        foreach (var connection in _all)
        {
            await connection.DisconnectAsync();
            connection.Dispose();
        }
    }
}
