using System.Text;
using System.Text.Json.Nodes;
using Newsletter.Subscribers;
using Newsletter.Tests.Infrastructure;
using Npgsql;

namespace Newsletter.Tests.Subscribers;

/// <summary>
/// Imports that carry who left: our own export moved to a fresh database, and small files in the shape
/// of Mailchimp's, listmonk's and Substack's exports. Nobody who left comes back subscribed.
/// </summary>
public sealed class ImportStatusTests : IAsyncLifetime
{
    private NpgsqlDataSource _source = null!;
    private NpgsqlDataSource _target = null!;

    public async Task InitializeAsync()
    {
        _source = NpgsqlDataSource.Create(await TestPostgres.CreateMigratedDatabaseAsync("import_status_from"));
        _target = NpgsqlDataSource.Create(await TestPostgres.CreateMigratedDatabaseAsync("import_status_to"));
    }

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        await _target.DisposeAsync();
    }

    [Fact]
    public async Task ExportThenImportIntoAFreshDatabaseKeepsStatusesAndAttributes()
    {
        var store = new SubscriberStore(_source);
        var list = (await store.CreateListAsync("moving", "Moving", "", doubleOptIn: true))!;
        await new SubscriberImporter(_source, store).ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(
            "email,name,plan,seats\nstays@example.com,Stays,gold,3\nleft@example.com,Left,,\nbounced@example.com,Bounced,,\n")),
            list.Slug, confirmed: true, _ => { });
        await store.SubscribeAsync(list, "waiting@example.com", "Waiting", new ConsentContext("test"));
        await store.UnsubscribeAsync(await SubscriberIdAsync(_source, "left@example.com"), list.Id, new ConsentContext("test"));
        await store.SuppressAsync("bounced@example.com", "hard_bounce", "550 no such user", "test");
        await Execute(_source, "UPDATE subscribers SET attributes = '{\"plan\": \"gold\", \"seats\": 3, \"tags\": [\"a\", \"b\"]}' WHERE email = 'stays@example.com'");
        using var exported = new MemoryStream();
        await new SubscriberExporter(store).ExportAsync(list.Slug, exported);

        var fresh = new SubscriberStore(_target);
        var moved = (await fresh.CreateListAsync("moved", "Moved", "", doubleOptIn: true))!;
        exported.Position = 0;
        var summary = await new SubscriberImporter(_target, fresh).ImportAsync(exported, moved.Slug, confirmed: true, _ => { });

        Assert.Equal("read 4, imported 2, updated 0, rejected 0, suppressed 1, unsubscribed 1, duplicates 0", summary.ToString());
        Assert.Equal("confirmed", await StatusAsync(_target, "stays@example.com", moved.Id));
        Assert.Equal("unconfirmed", await StatusAsync(_target, "waiting@example.com", moved.Id));
        Assert.Equal("unsubscribed", await StatusAsync(_target, "left@example.com", moved.Id));
        Assert.Null(await StatusAsync(_target, "bounced@example.com", moved.Id));
        Assert.Equal("hard_bounce", await ScalarAsync<string>(_target, "SELECT reason FROM suppressions WHERE email_lower = 'bounced@example.com'"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("{\"plan\": \"gold\", \"seats\": 3, \"tags\": [\"a\", \"b\"]}"),
            JsonNode.Parse((await ScalarAsync<string>(_target, "SELECT attributes::text FROM subscribers WHERE email = 'stays@example.com'"))!)));
        Assert.Equal("{}", await ScalarAsync<string>(_target, "SELECT attributes::text FROM subscribers WHERE email = 'left@example.com'"));
        Assert.Equal(1L, await ScalarAsync<long>(_target, "SELECT count(*) FROM subscriptions WHERE status = 'confirmed'"));
    }

    [Fact]
    public async Task MailchimpsUnsubscribedAndCleanedFilesNeverSubscribeAnyone()
    {
        const string header = "Email Address,First Name,Last Name,MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LAST_CHANGED,LEID,EUID,NOTES,TAGS";
        const string subscribed = header + "\r\nmc-in@example.com,In,Reader,2,2024-01-05 10:00:00,,2024-01-05 10:01:00,,2024-01-05 10:01:00,11,aa,,\r\n";
        const string unsubscribed = header + ",UNSUB_TIME,UNSUB_CAMPAIGN_TITLE,UNSUB_CAMPAIGN_ID,UNSUB_REASON,UNSUB_REASON_OTHER\r\n" +
            "mc-out@example.com,Out,Reader,2,2024-01-05 10:00:00,,2024-01-05 10:01:00,,2024-03-01 09:00:00,12,bb,,,2024-03-01 09:00:00,March issue,c1,NORMAL,\r\n";
        const string cleaned = header + ",CLEAN_TIME,CLEAN_CAMPAIGN_TITLE,CLEAN_CAMPAIGN_ID\r\n" +
            "mc-gone@example.com,Gone,Reader,1,2024-01-05 10:00:00,,2024-01-05 10:01:00,,2024-02-01 09:00:00,13,cc,,,2024-02-01 09:00:00,February issue,c0\r\n";
        var list = await ListAsync("mailchimp");

        var summaries = new List<string>();
        foreach (var file in new[] { subscribed, unsubscribed, cleaned })
            summaries.Add((await ImportAsync(file, list.Slug, [])).ToString());

        Assert.Equal([
            "read 1, imported 1, updated 0, rejected 0, suppressed 0, unsubscribed 0, duplicates 0",
            "read 1, imported 0, updated 0, rejected 0, suppressed 0, unsubscribed 1, duplicates 0",
            "read 1, imported 0, updated 0, rejected 0, suppressed 1, unsubscribed 0, duplicates 0",
        ], summaries);
        Assert.Equal("confirmed", await StatusAsync(_target, "mc-in@example.com", list.Id));
        Assert.Equal("unsubscribed", await StatusAsync(_target, "mc-out@example.com", list.Id));
        Assert.Null(await StatusAsync(_target, "mc-gone@example.com", list.Id));
        Assert.Equal("hard_bounce", await ScalarAsync<string>(_target, "SELECT reason FROM suppressions WHERE email_lower = 'mc-gone@example.com'"));
        Assert.Null(await ScalarAsync<string>(_target, "SELECT attributes->>'UNSUB_TIME' FROM subscribers WHERE email = 'mc-out@example.com'"));
    }

    [Fact]
    public async Task ListmonkExportKeepsBlocklistedAndDisabledSubscribersOut()
    {
        const string csv = "uuid,email,name,attributes,status,created_at,updated_at\n" +
            "0b1e...-1,lm-on@example.com,On,\"{\"\"city\"\": \"\"Pune\"\"}\",enabled,2024-01-01 10:00:00+00,2024-01-01 10:00:00+00\n" +
            "0b1e...-2,lm-off@example.com,Off,{},disabled,2024-01-01 10:00:00+00,2024-02-01 10:00:00+00\n" +
            "0b1e...-3,lm-block@example.com,Block,{},blocklisted,2024-01-01 10:00:00+00,2024-03-01 10:00:00+00\n";
        var list = await ListAsync("listmonk");

        var summary = await ImportAsync(csv, list.Slug, []);

        Assert.Equal("read 3, imported 1, updated 0, rejected 0, suppressed 1, unsubscribed 1, duplicates 0", summary.ToString());
        Assert.Equal("confirmed", await StatusAsync(_target, "lm-on@example.com", list.Id));
        Assert.Equal("Pune", await ScalarAsync<string>(_target, "SELECT attributes->>'city' FROM subscribers WHERE email = 'lm-on@example.com'"));
        Assert.Equal("unsubscribed", await StatusAsync(_target, "lm-off@example.com", list.Id));
        Assert.Equal("manual", await ScalarAsync<string>(_target, "SELECT reason FROM suppressions WHERE email_lower = 'lm-block@example.com'"));
    }

    [Fact]
    public async Task SubstackReadersWithEmailsDisabledLandUnsubscribed()
    {
        const string csv = "email,active_subscription,expiry,plan,email_disabled,created_at\n" +
            "ss-on@example.com,false,,free,false,2024-01-01T10:00:00.000Z\n" +
            "ss-off@example.com,false,,free,true,2024-01-02T10:00:00.000Z\n";
        var list = await ListAsync("substack");

        var summary = await ImportAsync(csv, list.Slug, []);

        Assert.Equal("read 2, imported 1, updated 0, rejected 0, suppressed 0, unsubscribed 1, duplicates 0", summary.ToString());
        Assert.Equal("confirmed", await StatusAsync(_target, "ss-on@example.com", list.Id));
        Assert.Equal("unsubscribed", await StatusAsync(_target, "ss-off@example.com", list.Id));
    }

    [Fact]
    public async Task LeavingInAFileUnsubscribesAKnownSubscriberAndAnUnknownStatusIsRefused()
    {
        var list = await ListAsync("known");
        await ImportAsync("email\nknown@example.com\n", list.Slug, []);
        var rejections = new List<ImportRejection>();

        var summary = await ImportAsync("email,status\nknown@example.com,unsubscribed\nodd@example.com,on-holiday\n", list.Slug, rejections);

        Assert.Equal("read 2, imported 0, updated 0, rejected 1, suppressed 0, unsubscribed 1, duplicates 0", summary.ToString());
        Assert.Equal("unsubscribed", await StatusAsync(_target, "known@example.com", list.Id));
        Assert.Equal([new ImportRejection(3, "unknown status 'on-holiday' in column 'status'")], rejections);
        Assert.Equal(1L, await ScalarAsync<long>(_target,
            "SELECT count(*) FROM consent_events WHERE action = 'imported_unsubscribed' AND list_id = " + list.Id));
    }

    private async Task<MailingList> ListAsync(string slug) =>
        (await new SubscriberStore(_target).CreateListAsync(slug, slug, "", doubleOptIn: true))!;

    private async Task<ImportSummary> ImportAsync(string csv, string slug, List<ImportRejection> rejections)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        return await new SubscriberImporter(_target, new SubscriberStore(_target)).ImportAsync(stream, slug, confirmed: true, rejections.Add);
    }

    private static async Task<long> SubscriberIdAsync(NpgsqlDataSource database, string email) =>
        await ScalarAsync<long>(database, $"SELECT id FROM subscribers WHERE email = '{email}'");

    private static Task<string?> StatusAsync(NpgsqlDataSource database, string email, long listId) => ScalarAsync<string>(database,
        $"SELECT sub.status FROM subscriptions sub JOIN subscribers s ON s.id = sub.subscriber_id WHERE s.email = '{email}' AND sub.list_id = {listId}");

    private static async Task Execute(NpgsqlDataSource database, string sql)
    {
        await using var command = database.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T?> ScalarAsync<T>(NpgsqlDataSource database, string sql)
    {
        await using var command = database.CreateCommand(sql);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }
}
