using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Issues;
using Newsletter.Sending;
using Newsletter.Server;
using Newsletter.Tests.Infrastructure;
using Newsletter.Tests.Rendering;

namespace Newsletter.Tests.Sending;

/// <summary>
/// A database and an SMTP peer for server processes started by the tests, and an in-process host
/// without a job server that schedules sends the way the CLI does.
/// </summary>
public class ProcessTestFixture : IAsyncLifetime
{
    public const int PoolSize = 4;
    public const int LeaseSeconds = 5;

    private WebApplication? _cli;

    public TestSmtpServer Smtp { get; } = new();

    public string ConnectionString { get; private set; } = "";

    public TestAudience Audience => new(ConnectionString);

    public async Task InitializeAsync()
    {
        ConnectionString = await CreateDatabaseAsync();
        var builder = AppHost.CreateBuilder([], runJobs: false);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Newsletter"] = ConnectionString,
            ["Newsletter:DataDirectory"] = Path.Combine(Path.GetTempPath(), $"newsletter-cli-{Guid.NewGuid():N}"),
        });
        _cli = builder.Build();
        await AppHost.PrepareAsync(_cli);
        // Hangfire makes its schema when its storage is first used; the tests read its tables.
        _cli.Services.GetRequiredService<Hangfire.JobStorage>();
    }

    /// <summary>The migrated database the processes share: one on the suite's cluster.</summary>
    protected virtual Task<string> CreateDatabaseAsync() => TestPostgres.CreateMigratedDatabaseAsync("processes");

    /// <summary>Settings for a server process on this database and SMTP peer.</summary>
    public Dictionary<string, string> ServerSettings(int messagesPerSecond = 0) => new()
    {
        ["ConnectionStrings:Newsletter"] = ConnectionString,
        ["Newsletter:Smtp:Host"] = "127.0.0.1",
        ["Newsletter:Smtp:Port"] = Smtp.Port.ToString(),
        ["Newsletter:Smtp:PoolSize"] = PoolSize.ToString(),
        ["Newsletter:Smtp:MessagesPerSecond"] = messagesPerSecond.ToString(),
        ["Newsletter:Sending:BatchSize"] = "50",
        ["Newsletter:Sending:LeaseSeconds"] = LeaseSeconds.ToString(),
    };

    public async Task<SendRecord> SendNowAsync(string listSlug)
    {
        var scheduler = _cli!.Services.GetRequiredService<SendScheduler>();
        var issue = await _cli.Services.GetRequiredService<IssueLibrary>().AddIssueAsync(RenderingFixture.SamplePath);
        return await scheduler.ScheduleAsync(issue.Id, [listSlug], at: null);
    }

    public async Task WaitForServersAsync(int hangfireServers)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await Audience.ScalarAsync<long>("SELECT count(*) FROM hangfire.server") < hangfireServers)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Fewer than {hangfireServers} Hangfire servers came up.");
            await Task.Delay(200);
        }
    }

    public async Task<SendStatus> WaitForSendAsync(long sendId, SendStatus status, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        SendStatus current;
        while ((current = StatusNames.ToSendStatus(
                   await Audience.ScalarAsync<string>("SELECT status FROM sends WHERE id = @sendId", new { sendId }))) != status)
        {
            if (DateTime.UtcNow > deadline)
                return current;
            await Task.Delay(200);
        }
        return current;
    }

    /// <summary>
    /// After the database server restarted: this process's pooled connections (the CLI host's and the tests'
    /// own) lead to the server that went away, and each would fail once.
    /// </summary>
    public void DropPooledConnections()
    {
        _cli!.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().Clear();
        Npgsql.NpgsqlConnection.ClearPool(new Npgsql.NpgsqlConnection(ConnectionString));
    }

    /// <summary>Messages the peer accepted for a send, by Message-ID.</summary>
    public Dictionary<string, int> Received(long sendId) => Smtp.Messages
        .Where(m => m.MessageId?.StartsWith($"send{sendId}.") == true)
        .GroupBy(m => m.MessageId!)
        .ToDictionary(g => g.Key, g => g.Count());

    public virtual async Task DisposeAsync()
    {
        if (_cli is not null)
            await _cli.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}
