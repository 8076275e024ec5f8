using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Newsletter.Subscribers;
using Newsletter.Tests.Infrastructure;
using Npgsql;

namespace Newsletter.Tests.BadInput;

/// <summary>
/// Hostile import files (<c>BadInput/Csv</c>) against a real database: each is refused with a message
/// that says what is wrong and where, leaving the database as it was, or gives the exact counts,
/// rejections and rows its manifest entry names. Each case imports, --confirmed, into a list of its own.
/// </summary>
public sealed class CsvImportCorpusTests : IAsyncLifetime
{
    private const string Folder = "Csv";

    private NpgsqlDataSource _database = null!;
    private SubscriberStore _store = null!;

    public static TheoryData<string> Cases => BadInputCorpus.Names(Folder);

    public async Task InitializeAsync()
    {
        _database = NpgsqlDataSource.Create(await TestPostgres.CreateMigratedDatabaseAsync(nameof(CsvImportCorpusTests)));
        _store = new SubscriberStore(_database);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task HostileFileIsRefusedWholeOrImportsExactlyItsValidRows(string file)
    {
        var expected = BadInputCorpus.Expectation(Folder, file);
        // Every case starts from no subscribers, so what one file did cannot show up in another's rows.
        await using (var clear = _database.CreateCommand("TRUNCATE subscribers, subscriptions, consent_events, suppressions"))
            await clear.ExecuteNonQueryAsync();
        var list = (await _store.CreateListAsync($"l{Guid.NewGuid():N}"[..12], file, "", doubleOptIn: true))!;
        var before = await CountsAsync();
        var rejections = new List<string>();
        using var csv = new MemoryStream(BadInputCorpus.Bytes(Folder, file) ?? Generate(file));

        var import = new SubscriberImporter(_database, _store).ImportAsync(csv, list.Slug, confirmed: true, r => rejections.Add(r.ToString()));

        if (expected.Text("refused") is { } refusal)
        {
            var refused = await Assert.ThrowsAsync<ImportRefusedException>(() => import);
            Assert.Contains(refusal, refused.Message);
            Assert.EndsWith("Nothing was imported.", refused.Message);
            Assert.Equal(before, await CountsAsync());
            return;
        }
        var summary = await import;
        Assert.Equal(expected.Text("summary"), summary.ToString());
        Assert.Equal(expected.Strings("rejections"), rejections);
        Assert.Equal(expected.Strings("rows").Order(), await RowsAsync(list.Id));
        Assert.Equal(expected.Strings("suppressed").Order(), await SuppressedAsync());
        if (expected.TryGetProperty("attributes", out var attributes))
            foreach (var (email, json) in attributes.EnumerateObject().Select(p => (p.Name, p.Value.GetRawText())))
                Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse((await ScalarAsync<string>(
                    "SELECT attributes::text FROM subscribers WHERE email = $1", email))!)), $"attributes of {email}");
    }

    /// <summary>The export escapes what a spreadsheet would run; importing the export gives back the very same values.</summary>
    [Fact]
    public async Task FormulasSurviveExportAndImportUnchanged()
    {
        var from = (await _store.CreateListAsync($"f{Guid.NewGuid():N}"[..12], "from", "", doubleOptIn: true))!;
        var to = (await _store.CreateListAsync($"t{Guid.NewGuid():N}"[..12], "to", "", doubleOptIn: true))!;
        await new SubscriberImporter(_database, _store).ImportAsync(new MemoryStream(BadInputCorpus.Bytes(Folder, "formula-injection.csv")!),
            from.Slug, confirmed: true, _ => { });
        using var exported = new MemoryStream();
        await new SubscriberExporter(_store).ExportAsync(from.Slug, exported);
        var csv = Encoding.UTF8.GetString(exported.ToArray());

        exported.Position = 0;
        var summary = await new SubscriberImporter(_database, _store).ImportAsync(exported, to.Slug, confirmed: true, _ => { });

        Assert.Contains("\"'=cmd@example.com\",\"'=cmd|' /C calc'!A0\"", csv);
        Assert.Equal("read 2, imported 2, updated 0, rejected 0, suppressed 0, unsubscribed 0, duplicates 0", summary.ToString());
        Assert.Equal(await RowsAsync(from.Id), await RowsAsync(to.Id));
        Assert.Equal(2L, await ScalarAsync<long>("SELECT count(*) FROM subscribers WHERE email IN ('=cmd@example.com', '-minus@example.com')"));
    }

    private static byte[] Generate(string file) => file switch
    {
        "ten-megabyte-line.csv" => Encoding.UTF8.GetBytes($"email,name\r\nada@example.com,Ada\r\ngrace@example.com,{new string('x', 10 << 20)}\r\n"),
        "thousand-columns.csv" => Encoding.UTF8.GetBytes(
            $"email,{string.Join(',', Enumerable.Range(1, 999).Select(i => $"c{i}"))}\r\n" +
            $"wide@example.com,{string.Join(',', Enumerable.Range(1, 999).Select(i => $"v{i}"))}\r\n"),
        "huge-names.csv" => Encoding.UTF8.GetBytes(
            $"email,name,First Name,Last Name\r\nlong@example.com,{new string('n', 100_000)},,\r\nparts@example.com,,{new string('f', 150)},{new string('l', 150)}\r\n"),
        "invalid-utf8-after-20000-rows.csv" => [.. Rows(20_000), .. "late@example.com,J"u8, 0xFC, .. "rgen\r\n"u8],
        "unbalanced-quote-after-20000-rows.csv" => [.. Rows(20_000), .. "late@example.com,\"Never closed\r\nlast@example.com,Last\r\n"u8],
        _ => throw new ArgumentException($"No file and no generator for {file}"),
    };

    private static byte[] Rows(int count)
    {
        var csv = new StringBuilder("email,name\r\n");
        for (var i = 0; i < count; i++)
            csv.Append($"row{i}@example.com,Row {i}\r\n");
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    private async Task<(long Subscribers, long Subscriptions, long Events, long Suppressions)> CountsAsync() => (
        await ScalarAsync<long>("SELECT count(*) FROM subscribers"),
        await ScalarAsync<long>("SELECT count(*) FROM subscriptions"),
        await ScalarAsync<long>("SELECT count(*) FROM consent_events"),
        await ScalarAsync<long>("SELECT count(*) FROM suppressions"));

    /// <summary>"email | name | status" of every subscription on the list, sorted.</summary>
    private async Task<List<string>> RowsAsync(long listId)
    {
        await using var command = _database.CreateCommand(
            "SELECT s.email || ' | ' || s.name || ' | ' || sub.status FROM subscriptions sub JOIN subscribers s ON s.id = sub.subscriber_id " +
            "WHERE sub.list_id = $1 ORDER BY 1");
        command.Parameters.Add(new NpgsqlParameter { Value = listId });
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add(reader.GetString(0));
        return rows.Order().ToList();
    }

    private async Task<List<string>> SuppressedAsync()
    {
        await using var command = _database.CreateCommand("SELECT email_lower || ' | ' || reason FROM suppressions");
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add(reader.GetString(0));
        return rows.Order().ToList();
    }

    private async Task<T?> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var command = _database.CreateCommand(sql);
        foreach (var parameter in parameters)
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }
}
