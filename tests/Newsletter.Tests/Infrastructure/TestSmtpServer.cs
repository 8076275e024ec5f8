using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Newsletter.Tests.Infrastructure;

/// <summary>A real SMTP server on a loopback port that keeps every message it accepts.</summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    private readonly SmtpServer.SmtpServer _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    /// <param name="port">A port chosen before: a relay that comes back where the app expects it. A free one when null.</param>
    public TestSmtpServer(int? port = null)
    {
        Port = port ?? FreePort();
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(builder => builder.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        services.Add(new RecipientFilter(this));
        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(_stop.Token);
    }

    public int Port { get; }

    public ConcurrentQueue<MimeMessage> Messages { get; } = new();

    /// <summary>The MAIL FROM of each message kept, by its Message-ID.</summary>
    public ConcurrentDictionary<string, string> EnvelopeSenders { get; } = new();

    /// <summary>
    /// Decides the reply to each RCPT TO (by address and how often it was offered before): null
    /// accepts, a response refuses. Lets tests play a relay that defers or rejects.
    /// </summary>
    public Func<string, int, SmtpResponse?>? RecipientRule { get; set; }

    private readonly ConcurrentDictionary<string, int> _offers = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Waits until at least <paramref name="count"/> messages arrived.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (Messages.Count < count)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Expected {count} messages, got {Messages.Count}.");
            await Task.Delay(50);
        }
        return Messages.ToArray();
    }

    /// <summary>Waits for a mail to <paramref name="to"/> whose subject contains <paramref name="subject"/>; null if none came.</summary>
    public async Task<MimeMessage?> MailToAsync(string to, string subject, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            var mail = Messages.FirstOrDefault(m =>
                m.To.Mailboxes.Any(b => b.Address.Equals(to, StringComparison.OrdinalIgnoreCase)) && (m.Subject ?? "").Contains(subject));
            if (mail is not null)
                return mail;
            await Task.Delay(50);
        }
        return null;
    }

    public int MailCount(string to) =>
        Messages.Count(m => m.To.Mailboxes.Any(b => b.Address.Equals(to, StringComparison.OrdinalIgnoreCase)));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _server.Shutdown();
        await Task.WhenAny(_running, Task.Delay(TimeSpan.FromSeconds(5)));
        _stop.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class RecipientFilter(TestSmtpServer owner) : MailboxFilter
    {
        public override Task<bool> CanDeliverToAsync(
            ISessionContext context, SmtpServer.Mail.IMailbox to, SmtpServer.Mail.IMailbox from, CancellationToken cancellationToken)
        {
            var address = $"{to.User}@{to.Host}";
            var offered = owner._offers.AddOrUpdate(address, 1, (_, n) => n + 1);
            if (owner.RecipientRule?.Invoke(address, offered) is { } refusal)
                throw new SmtpResponseException(refusal);
            return Task.FromResult(true);
        }
    }

    private sealed class Store(TestSmtpServer owner) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer,
            CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            owner.EnvelopeSenders[message.MessageId ?? ""] = $"{transaction.From.User}@{transaction.From.Host}";
            owner.Messages.Enqueue(message);
            return SmtpResponse.Ok;
        }
    }
}
