using Dapper;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;
using Newsletter.Sending;
using Newsletter.Telemetry;
using Newsletter.Tests.Infrastructure;
using Npgsql;

namespace Newsletter.Tests.Sending;

/// <summary>
/// The process's outcome writer on a cluster of its own: it keeps what it could not write while PostgreSQL
/// is down and writes it once it is back, and each flush brings back the send's status and the latest opt-outs.
/// </summary>
public sealed class OutcomeWriterTests : IAsyncLifetime
{
    private PrivateCluster _cluster = null!;
    private NpgsqlDataSource _database = null!;
    private DeliveryStore _store = null!;
    private OutcomeWriter _writer = null!;
    private ServiceProvider _meters = null!;
    private long _listId;
    private long _sendId;
    private long[] _claimed = [];

    public async Task InitializeAsync()
    {
        _cluster = await PrivateCluster.StartAsync();
        var connectionString = await _cluster.CreateMigratedDatabaseAsync("writer");
        _database = NpgsqlDataSource.Create(connectionString);
        (_listId, _sendId) = await new TestAudience(connectionString).CreateFrozenSendAsync("writer", 20);
        _store = new DeliveryStore(_database);
        _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _writer = new OutcomeWriter(_store, new NewsletterMetrics(_meters.GetRequiredService<IMeterFactory>()),
            Options.Create(new SendingOptions()), NullLogger<OutcomeWriter>.Instance);
        await _writer.StartAsync();
        _claimed = (await _store.ClaimAsync(_sendId, [_listId], 20, TimeSpan.FromMinutes(5))).Select(d => d.SubscriberId).Order().ToArray();
    }

    public async Task DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _meters.DisposeAsync();
        await _database.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task OutcomesHandedWhilePostgresIsDownAreWrittenOnceItIsBack()
    {
        HandSent(_claimed[..10]);
        await _writer.RecordedAsync(_sendId);
        Assert.Equal(10, await SentAsync());

        await _cluster.StopAsync();
        HandSent(_claimed[10..]);
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => _writer.RecordedAsync(_sendId));

        await _cluster.StartAgainAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await SentAsync() < 20 && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        Assert.Equal(20, await SentAsync());
    }

    [Fact]
    public async Task EachFlushBringsBackAPauseAndTheLatestOptOuts()
    {
        await using (var connection = await _database.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("UPDATE sends SET status = 'paused' WHERE id = @_sendId", new { _sendId });
            await connection.ExecuteAsync("""
                INSERT INTO consent_events (subscriber_id, list_id, action, source) VALUES
                    (@left, @_listId, 'unsubscribed', 'one-click'),
                    (@otherList, @_listId + 1000, 'unsubscribed', 'one-click'),
                    (@suppressed, NULL, 'suppressed', 'admin'),
                    (@joined, @_listId, 'confirmed', 'form')
                """, new { left = _claimed[5], otherList = _claimed[6], suppressed = _claimed[7], joined = _claimed[8], _listId });
        }
        Assert.True(_writer.StillSending(_sendId));
        Assert.False(_writer.Withdrawn(_claimed[5], [_listId]));

        HandSent(_claimed[..1]);
        await _writer.RecordedAsync(_sendId);

        Assert.False(_writer.StillSending(_sendId));
        Assert.True(_writer.Withdrawn(_claimed[5], [_listId]));
        Assert.False(_writer.Withdrawn(_claimed[6], [_listId]));
        Assert.True(_writer.Withdrawn(_claimed[7], [_listId]));
        Assert.False(_writer.Withdrawn(_claimed[8], [_listId]));
        // A flush records a paused send's outcomes all the same: those messages went out.
        Assert.Equal(1, await SentAsync());
    }

    [Fact]
    public async Task AnOptOutThatCommitsBehindALaterOneIsStillSeen()
    {
        // Three events of one reader in one read (as "unsubscribe from everything" logs them), and one whose id
        // was taken first but committed last: it is read back in the overlap of the next reads.
        await using var early = await _database.OpenConnectionAsync();
        await using var open = await early.BeginTransactionAsync();
        await early.ExecuteAsync("INSERT INTO consent_events (subscriber_id, list_id, action, source) VALUES (@id, @_listId, 'unsubscribed', 'one-click')",
            new { id = _claimed[3], _listId }, open);
        await using (var connection = await _database.OpenConnectionAsync())
            await connection.ExecuteAsync("""
                INSERT INTO consent_events (subscriber_id, list_id, action, source) VALUES
                    (@id, @_listId, 'unsubscribed', 'preferences'), (@id, @_listId + 1, 'unsubscribed', 'preferences'),
                    (@id, NULL, 'suppressed', 'preferences')
                """, new { id = _claimed[4], _listId });
        HandSent(_claimed[..1]);
        await _writer.RecordedAsync(_sendId);
        Assert.True(_writer.Withdrawn(_claimed[4], [_listId]));
        Assert.False(_writer.Withdrawn(_claimed[3], [_listId]));

        await open.CommitAsync();
        HandSent(_claimed[1..2]);
        await _writer.RecordedAsync(_sendId);
        Assert.True(_writer.Withdrawn(_claimed[3], [_listId]));
    }

    [Fact]
    public async Task AWriterThatHasStoppedRefusesOutcomesInsteadOfLosingThem()
    {
        HandSent(_claimed[..2]);
        await _writer.DisposeAsync();
        Assert.Equal(2, await SentAsync());
        Assert.Throws<ObjectDisposedException>(() => HandSent(_claimed[2..3]));
    }

    private void HandSent(IEnumerable<long> subscriberIds)
    {
        var outcomes = new DeliveryOutcomes();
        foreach (var id in subscriberIds)
            outcomes.Sent.Add((id, DateTime.UtcNow));
        _writer.Hand(_sendId, outcomes);
    }

    private async Task<long> SentAsync()
    {
        await using var connection = await _database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM deliveries WHERE send_id = @_sendId AND status = 'sent'", new { _sendId });
    }
}
