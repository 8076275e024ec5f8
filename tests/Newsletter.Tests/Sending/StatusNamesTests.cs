using Dapper;
using Newsletter.Sending;
using Newsletter.Tests.Infrastructure;
using Npgsql;

namespace Newsletter.Tests.Sending;

/// <summary>
/// The status enums reach the database as the words its CHECK constraints allow (Dapper alone would send
/// integers) and come back as the same values, through parameters, rows and scalars alike.
/// </summary>
public sealed class StatusNamesTests : IAsyncLifetime
{
    private string _connectionString = "";
    private NpgsqlDataSource _database = null!;

    private TestAudience Audience => new(_connectionString);

    public async Task InitializeAsync()
    {
        _connectionString = await TestPostgres.CreateMigratedDatabaseAsync(nameof(StatusNamesTests));
        _database = NpgsqlDataSource.Create(_connectionString);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task EverySendStatusIsStoredAsItsWordAndReadBackAsItself()
    {
        var (_, sendId) = await Audience.CreateFrozenSendAsync("send-states", 1);
        var sends = new SendStore(_database, new DeliveryStore(_database));
        var all = Enum.GetValues<SendStatus>();

        foreach (var status in all)
        {
            Assert.True(await sends.TrySetStatusAsync(sendId, status, null, all));
            Assert.Equal(status.Name(), await Audience.ScalarAsync<string>("SELECT status FROM sends WHERE id = @sendId", new { sendId }));
            Assert.Equal(status, (await sends.GetSendAsync(sendId))!.Status);
            Assert.Equal(status, await sends.StatusAsync(sendId));
            Assert.Equal(status, (await sends.GetBatchStateAsync(sendId)).Status);
        }
    }

    [Fact]
    public async Task StatusChangesOnlyFromTheStatesGiven()
    {
        var (_, sendId) = await Audience.CreateFrozenSendAsync("send-edges", 1);
        var sends = new SendStore(_database, new DeliveryStore(_database));

        Assert.False(await sends.TrySetStatusAsync(sendId, SendStatus.Scheduled, null, [SendStatus.Paused, SendStatus.Finished]));
        Assert.True(await sends.TrySetStatusAsync(sendId, SendStatus.Paused, "held", [SendStatus.Sending]));
        Assert.Equal(SendStatus.Paused, await sends.StatusAsync(sendId));
    }

    [Fact]
    public async Task EveryDeliveryStatusIsCountedUnderItsOwnValue()
    {
        var all = Enum.GetValues<DeliveryStatus>();
        var (_, sendId) = await Audience.CreateFrozenSendAsync("delivery-states", all.Length);
        await using (var connection = await _database.OpenConnectionAsync())
        {
            var ids = (await connection.QueryAsync<long>(
                "SELECT subscriber_id FROM deliveries WHERE send_id = @sendId ORDER BY subscriber_id", new { sendId })).ToArray();
            for (var i = 0; i < all.Length; i++)
                await connection.ExecuteAsync("UPDATE deliveries SET status = @Status WHERE send_id = @sendId AND subscriber_id = @id",
                    new { Status = all[i].Name(), sendId, id = ids[i] });
        }

        var progress = await SendProgress.ReadAsync(
            new SendStore(_database, new DeliveryStore(_database)), new DeliveryStore(_database), sendId);

        Assert.All(all, status => Assert.Equal(1, progress.Count(status)));
        Assert.Contains("sent 1, pending 1, sending 1, failed 1, skipped 1", progress.Describe());
        Assert.StartsWith($"send {sendId}: delivery-states, sending", progress.Describe());
    }

    [Fact]
    public void NamesAndParsingAreInverse()
    {
        Assert.All(Enum.GetValues<SendStatus>(), s => Assert.Equal(s, StatusNames.ToSendStatus(s.Name())));
        Assert.All(Enum.GetValues<DeliveryStatus>(), s => Assert.Equal(s, StatusNames.ToDeliveryStatus(s.Name())));
        Assert.All(Enum.GetValues<SendStatus>(), s => Assert.Equal(s.ToString().ToLowerInvariant(), s.Name()));
        Assert.All(Enum.GetValues<DeliveryStatus>(), s => Assert.Equal(s.ToString().ToLowerInvariant(), s.Name()));
    }
}
