using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;
using Newsletter.Telemetry;

namespace Newsletter.Sending;

/// <summary>
/// A fixed number of SMTP connections per process (Smtp:PoolSize). A sender rents one, uses it alone,
/// and returns it; connections stay open between batches.
/// </summary>
public sealed class SmtpConnectionPool : IAsyncDisposable
{
    private readonly Channel<SmtpConnection> _idle;
    private readonly List<SmtpConnection> _all = [];
    private readonly NewsletterMetrics _metrics;

    public SmtpConnectionPool(IOptions<SmtpOptions> options, NewsletterMetrics metrics)
    {
        _metrics = metrics;
        _idle = Channel.CreateBounded<SmtpConnection>(options.Value.PoolSize);
        for (var i = 0; i < options.Value.PoolSize; i++)
        {
            var connection = new SmtpConnection(options.Value, metrics);
            _all.Add(connection);
            _idle.Writer.TryWrite(connection);
        }
    }

    public int Size => _all.Count;

    /// <summary>Waits for a free connection (not necessarily connected yet).</summary>
    public async ValueTask<SmtpConnection> RentAsync(CancellationToken cancellationToken = default)
    {
        var connection = await _idle.Reader.ReadAsync(cancellationToken);
        _metrics.ConnectionRented();
        return connection;
    }

    public void Return(SmtpConnection connection)
    {
        _metrics.ConnectionReturned();
        _idle.Writer.TryWrite(connection);
    }

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
