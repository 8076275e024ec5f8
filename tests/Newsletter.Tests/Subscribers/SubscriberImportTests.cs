using System.Text;
using Newsletter.Subscribers;
using Newsletter.Tests.Infrastructure;
using Npgsql;

namespace Newsletter.Tests.Subscribers;

/// <summary>The importer and exporter against a real, migrated database of their own.</summary>
public sealed class SubscriberImportTests : IAsyncLifetime
{
    private NpgsqlDataSource _database = null!;
    private SubscriberStore _store = null!;
    private SubscriberImporter _importer = null!;

    public async Task InitializeAsync()
    {
        _database = NpgsqlDataSource.Create(await TestPostgres.CreateMigratedDatabaseAsync(nameof(SubscriberImportTests)));
        _store = new SubscriberStore(_database);
        _importer = new SubscriberImporter(_database, _store);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task HostileCsvGivesExactCountsAndLineNumberedRejections()
    {
        var list = await NewListAsync();
        await _store.SuppressAsync("bounced@example.com", "hard_bounce", null);
        var known = await _store.SubscribeAsync(list, "known@example.com", "", new ConsentContext("test"));
        var left = await _store.SubscribeAsync(list, "left@example.com", "", new ConsentContext("test"));
        await _store.UnsubscribeAsync(left.SubscriberId!.Value, list.Id, new ConsentContext("test"));
        var csv = "\uFEFFEmail Address,First Name,Last Name,Company,Notes\r\n" +           // 1
                  "ada@example.com,Ada,Lovelace,\"Analytical, Ltd\",\r\n" +                 // 2
                  "\"grace@example.com\",Grace,Hopper,Navy,\"multi\r\nline note\"\r\n" +   // 3-4
                  "\r\n" +                                                                  // 5
                  "ADA@EXAMPLE.COM,Ada,King,,\r\n" +                                        // 6
                  "not-an-address,X,Y,,\r\n" +                                              // 7
                  "\"eve@example.com\r\nBcc: all@example.com\",Eve,,,\r\n" +                // 8-9
                  ",NoEmail,,,\r\n" +                                                       // 10
                  "bounced@example.com,B,,,\r\n" +                                          // 11
                  "known@example.com,Known,,,\r\n" +                                        // 12
                  "left@example.com,Left,,,\r\n" +                                          // 13
                  "\"a@example.com, c@example.com\",,,,\r\n" +                              // 14
                  "new@example.com,New,,,";                                                 // 15
        var rejections = new List<ImportRejection>();

        var summary = await ImportAsync(csv, list.Slug, confirmed: false, rejections);

        Assert.Equal("read 11, imported 3, updated 1, rejected 4, suppressed 2, unsubscribed 0, duplicates 1", summary.ToString());
        Assert.Equal([
            new ImportRejection(7, "not a valid email address"),
            new ImportRejection(8, "the address contains a line break"),
            new ImportRejection(10, "no email address"),
            new ImportRejection(14, "not a single plain address"),
        ], rejections);
        Assert.Equal("Ada King", await ScalarAsync<string>("SELECT name FROM subscribers WHERE lower(email) = 'ada@example.com'"));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM subscribers WHERE lower(email) = 'ada@example.com'"));
        Assert.Equal("multi\r\nline note", await ScalarAsync<string>(
            "SELECT attributes->>'Notes' FROM subscribers WHERE email = 'grace@example.com'"));
        Assert.Equal("Navy", await ScalarAsync<string>("SELECT attributes->>'Company' FROM subscribers WHERE email = 'grace@example.com'"));
        Assert.Equal("Grace", await ScalarAsync<string>("SELECT attributes->>'first_name' FROM subscribers WHERE email = 'grace@example.com'"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM subscribers WHERE email = 'bounced@example.com'"));
        Assert.Equal("unsubscribed", await StatusAsync("left@example.com", list.Id));
        Assert.Equal("unconfirmed", await StatusAsync("known@example.com", list.Id));
        Assert.Equal("Known", await ScalarAsync<string>("SELECT name FROM subscribers WHERE id = $1", known.SubscriberId!.Value));
        Assert.Equal("unconfirmed", await StatusAsync("new@example.com", list.Id));
        Assert.Equal(3L, await ScalarAsync<long>(
            "SELECT count(*) FROM consent_events WHERE action = 'imported_unconfirmed' AND list_id = $1", list.Id));
    }

    [Fact]
    public async Task ImportToAnUnknownListIsRefusedNamingTheListInDomainWords()
    {
        var refused = await Assert.ThrowsAsync<UnknownListException>(() =>
            ImportAsync("email\r\nwho@example.com\r\n", "no-such-list", confirmed: true, []));

        Assert.Equal(["no-such-list"], refused.Slugs);
        Assert.DoesNotContain("`", refused.Message);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM subscribers"));
    }

    [Fact]
    public async Task FileWithoutAnEmailColumnIsRefusedBeforeAnyWrite()
    {
        var list = await NewListAsync();

        var refused = await Assert.ThrowsAsync<ImportRefusedException>(() =>
            ImportAsync("Name,Company\r\nAda,Analytical\r\nwho@example.com,X\r\n", list.Slug, confirmed: true, []));

        Assert.Contains("no email column", refused.Message);
        Assert.Contains("'Name', 'Company'", refused.Message);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM subscribers"));
    }

    [Fact]
    public async Task ConfirmedImportConfirmsAndReimportUpdates()
    {
        var list = await NewListAsync();
        await ImportAsync("email,name\nzoe@example.com,Zoe\n", list.Slug, confirmed: false, []);

        var summary = await ImportAsync("email,name,plan\nzoe@example.com,,gold\nyan@example.com,Yan,\n", list.Slug, confirmed: true, []);

        Assert.Equal("read 2, imported 1, updated 1, rejected 0, suppressed 0, unsubscribed 0, duplicates 0", summary.ToString());
        Assert.Equal("confirmed", await StatusAsync("zoe@example.com", list.Id));
        Assert.Equal("confirmed", await StatusAsync("yan@example.com", list.Id));
        Assert.Equal("Zoe", await ScalarAsync<string>("SELECT name FROM subscribers WHERE email = 'zoe@example.com'"));
        Assert.Equal("gold", await ScalarAsync<string>("SELECT attributes->>'plan' FROM subscribers WHERE email = 'zoe@example.com'"));
    }

    [Fact]
    public async Task AddressSubscribedWhileTheImportMergesIsMergedNotDuplicated()
    {
        var list = await NewListAsync();
        // The merge writes consent events; holding their table stops it after classify has looked.
        await using var holder = await _database.OpenConnectionAsync();
        await using var hold = await holder.BeginTransactionAsync();
        await using (var take = new NpgsqlCommand("LOCK TABLE consent_events IN SHARE MODE", holder, hold))
            await take.ExecuteNonQueryAsync();

        var import = ImportAsync("email,name\nracer@example.com,From File\nquiet@example.com,Quiet\n", list.Slug, confirmed: true, []);
        await WaitForMergeToWaitAsync(import);
        var racer = await ScalarAsync<long>("INSERT INTO subscribers (email, name) VALUES ('Racer@example.com', 'From Form') RETURNING id");
        await ScalarAsync<int>("INSERT INTO subscriptions (list_id, subscriber_id, status) VALUES ($1, $2, 'unconfirmed') RETURNING 1", list.Id, racer);
        await hold.CommitAsync();
        var summary = await import;

        Assert.Equal("read 2, imported 2, updated 0, rejected 0, suppressed 0, unsubscribed 0, duplicates 0", summary.ToString());
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM subscribers WHERE lower(email) = 'racer@example.com'"));
        Assert.Equal("From File", await ScalarAsync<string>("SELECT name FROM subscribers WHERE id = $1", racer));
        Assert.Equal("confirmed", await StatusAsync("racer@example.com", list.Id));
        Assert.Equal("confirmed", await StatusAsync("quiet@example.com", list.Id));
        Assert.Equal(2L, await ScalarAsync<long>(
            "SELECT count(*) FROM consent_events WHERE action = 'imported_confirmed' AND list_id = $1", list.Id));
    }

    [Fact]
    public async Task ImportThatFailsHalfwayLeavesTheListAsItWas()
    {
        var list = await NewListAsync();
        var rows = new StringBuilder("email\n");
        for (var i = 0; i < 50_000; i++)
            rows.Append($"user{i}@example.com\n");
        await using var failing = new FailingStream(Encoding.UTF8.GetBytes(rows.ToString()), failAfter: 400_000);

        await Assert.ThrowsAsync<IOException>(() => _importer.ImportAsync(failing, list.Slug, confirmed: true, _ => { }));

        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM subscribers"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM subscriptions"));
    }

    [Fact]
    public async Task ExportWritesEveryoneOnTheListAsCsvThatImportsAgain()
    {
        var list = await NewListAsync();
        await ImportAsync("email,name,city\nada@example.com,\"Lovelace, Ada\",London\n=cmd@example.com,=HYPERLINK(1),\n", list.Slug, true, []);
        var exporter = new SubscriberExporter(_store);
        using var output = new MemoryStream();

        var written = await exporter.ExportAsync(list.Slug, output);
        var csv = Encoding.UTF8.GetString(output.ToArray());

        Assert.Equal(2, written);
        Assert.StartsWith("email,name,status,subscriber_created_at,subscribed_at,confirmed_at,unsubscribed_at,attributes\r\n", csv);
        Assert.Contains("ada@example.com,\"Lovelace, Ada\",confirmed,", csv);
        Assert.Contains("'=HYPERLINK(1)", csv);
        var again = await NewListAsync();
        var summary = await ImportAsync(csv, again.Slug, confirmed: true, []);
        Assert.Equal(2, summary.Imported);
    }

    [Fact]
    public async Task HousekeepingDropsOnlyStaleFormSignUps()
    {
        var list = await NewListAsync();
        var stale = await _store.SubscribeAsync(list, "stale@example.com", "", new ConsentContext("test"));
        await _store.SubscribeAsync(list, "fresh@example.com", "", new ConsentContext("test"));
        await ImportAsync("email\nimported@example.com\n", list.Slug, confirmed: false, []);
        await using (var age = _database.CreateCommand(
            "UPDATE subscriptions SET updated_at = now() - interval '31 days' WHERE subscriber_id IN " +
            "(SELECT id FROM subscribers WHERE email IN ('stale@example.com', 'imported@example.com'))"))
            await age.ExecuteNonQueryAsync();

        var purged = await _store.PurgeUnconfirmedAsync(TimeSpan.FromDays(30));

        Assert.Equal(1, purged);
        Assert.Null(await StatusAsync("stale@example.com", list.Id));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM subscribers WHERE email = 'stale@example.com'"));
        Assert.Equal("unconfirmed", await StatusAsync("fresh@example.com", list.Id));
        Assert.Equal("unconfirmed", await StatusAsync("imported@example.com", list.Id));
        Assert.Equal(1L, await ScalarAsync<long>(
            "SELECT count(*) FROM consent_events WHERE action = 'expired_unconfirmed' AND subscriber_id = $1", stale.SubscriberId!.Value));
    }

    private async Task<MailingList> NewListAsync() =>
        (await _store.CreateListAsync($"l{Guid.NewGuid():N}"[..12], "Imported", "", doubleOptIn: true))!;

    private async Task<ImportSummary> ImportAsync(string csv, string slug, bool confirmed, List<ImportRejection> rejections)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        return await _importer.ImportAsync(stream, slug, confirmed, rejections.Add);
    }

    private async Task WaitForMergeToWaitAsync(Task import)
    {
        for (var tries = 0; tries < 300; tries++)
        {
            if (import.IsCompleted)
            {
                await import;
                throw new InvalidOperationException("The import finished without waiting for consent_events.");
            }
            if (await ScalarAsync<long>("SELECT count(*) FROM pg_locks WHERE relation = 'consent_events'::regclass AND NOT granted") > 0)
                return;
            await Task.Delay(100);
        }
        throw new TimeoutException("The import never reached its merge.");
    }

    private Task<string?> StatusAsync(string email, long listId) => ScalarAsync<string>(
        "SELECT sub.status FROM subscriptions sub JOIN subscribers s ON s.id = sub.subscriber_id WHERE lower(s.email) = lower($1) AND sub.list_id = $2",
        email, listId);

    private async Task<T?> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var command = _database.CreateCommand(sql);
        foreach (var parameter in parameters)
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    /// <summary>A file whose disk fails part-way through.</summary>
    private sealed class FailingStream(byte[] content, int failAfter) : MemoryStream(content)
    {
        public override int Read(Span<byte> buffer) =>
            Position >= failAfter ? throw new IOException("disk gone") : base.Read(buffer);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position >= failAfter ? throw new IOException("disk gone") : base.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Position >= failAfter ? throw new IOException("disk gone") : base.ReadAsync(buffer, offset, count, cancellationToken);
    }
}
