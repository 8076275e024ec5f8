using CsCheck;
using Newsletter.Subscribers;
using Newsletter.Tests.Infrastructure;
using Npgsql;

namespace Newsletter.Tests.BadInput;

/// <summary>
/// Any bytes imported for real: the import either ends with a summary whose counts add up and match the
/// rows written, or is refused (<see cref="ImportRefusedException"/>) leaving the database as it was.
/// Fewer draws than the parser's own property: each one is a transaction.
/// </summary>
public sealed class ImportDatabaseProperties : IAsyncLifetime
{
    private NpgsqlDataSource _database = null!;

    public async Task InitializeAsync() =>
        _database = NpgsqlDataSource.Create(await TestPostgres.CreateMigratedDatabaseAsync(nameof(ImportDatabaseProperties)));

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task AnyBytesImportWholeOrNotAtAll()
    {
        var store = new SubscriberStore(_database);
        var list = (await store.CreateListAsync("property", "Property", "", doubleOptIn: true))!;
        var importer = new SubscriberImporter(_database, store);

        // One draw at a time: each starts from an empty list.
        await HostileGen.Csv.SampleAsync(async bytes =>
        {
            await ExecuteAsync("TRUNCATE subscribers, subscriptions, consent_events, suppressions");
            try
            {
                var summary = await importer.ImportAsync(new MemoryStream(bytes), list.Slug, confirmed: true, _ => { });
                Assert.Equal(summary.Read, summary.Imported + summary.Updated + summary.Rejected + summary.Suppressed +
                                           summary.Unsubscribed + summary.Duplicates);
                Assert.Equal(summary.Imported + summary.Unsubscribed, await CountAsync("subscriptions"));
            }
            catch (ImportRefusedException)
            {
                Assert.Equal(0L, await CountAsync("subscribers") + await CountAsync("subscriptions") + await CountAsync("consent_events") +
                                 await CountAsync("suppressions"));
            }
        }, iter: 300, threads: 1, print: ImportCsvProperties.Show);
    }

    private async Task<long> CountAsync(string table)
    {
        await using var command = _database.CreateCommand($"SELECT count(*) FROM {table}");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _database.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
