using Microsoft.Extensions.Logging.Abstractions;
using Newsletter.Sending;
using Newsletter.Tests.Infrastructure;
using Npgsql;

namespace Newsletter.Tests.Sending;

/// <summary>The background lease of a batch's rows, against a database that stops taking connections.</summary>
public sealed class LeasedDeliveriesTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(2);

    private string _connectionString = "";
    private NpgsqlDataSource _database = null!;
    private long _listId;
    private long _sendId;

    private TestAudience Audience => new(_connectionString);

    public async Task InitializeAsync()
    {
        _connectionString = await TestPostgres.CreateMigratedDatabaseAsync(nameof(LeasedDeliveriesTests));
        _database = NpgsqlDataSource.Create(_connectionString);
        (_listId, _sendId) = await Audience.CreateFrozenSendAsync("leased", 10);
    }

    public async Task DisposeAsync()
    {
        await AllowConnectionsAsync(true);
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task LeaseIsRenewedWhileTheBatchWaitsAndGivenUpWhenRenewalsFail()
    {
        await using var leased = new LeasedDeliveries(new DeliveryStore(_database), _sendId, Lease, NullLogger.Instance);
        Assert.True(await leased.ClaimAsync([_listId], batchSize: 10));
        Assert.Equal(10, leased.Count);

        // Twice the lease with no message sent: the rows are still ours, in our clock and in the ledger's.
        await Task.Delay(2 * Lease);
        Assert.True(leased.IsHeld);
        Assert.Equal(10L, await Audience.ScalarAsync<long>(
            "SELECT count(*) FROM deliveries WHERE send_id = @SendId AND status = 'sending' AND lease_until > now()", new { SendId = _sendId }));

        await AllowConnectionsAsync(false);
        await Task.Delay(Lease);

        Assert.False(leased.IsHeld);
        Assert.Empty(leased.TakeForRelease());
        Assert.Equal(0, leased.Count);
    }

    /// <summary>Closes the database to new connections and ends the open ones, or opens it again.</summary>
    private async Task AllowConnectionsAsync(bool allow)
    {
        var database = new NpgsqlConnectionStringBuilder(_connectionString).Database;
        var admin = new NpgsqlConnectionStringBuilder(_connectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        await using var alter = new NpgsqlCommand($"ALTER DATABASE \"{database}\" WITH ALLOW_CONNECTIONS {allow}", connection);
        await alter.ExecuteNonQueryAsync();
        if (allow)
            return;
        await using var terminate = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @database", connection);
        terminate.Parameters.AddWithValue("database", database!);
        await terminate.ExecuteScalarAsync();
    }
}
