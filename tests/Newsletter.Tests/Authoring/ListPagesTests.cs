using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Subscribers;
using static Newsletter.Tests.Authoring.AuthoringTestApp;

namespace Newsletter.Tests.Authoring;

/// <summary>The lists pages as an admin uses them: counts, a new list and its errors, CSV import with progress, export.</summary>
public sealed partial class ListPagesTests(AuthoringTestApp app) : IClassFixture<AuthoringTestApp>
{
    private SubscriberStore Subscribers => app.Services.GetRequiredService<SubscriberStore>();

    [Fact]
    public async Task ListsPageShowsEachListWithItsCounts()
    {
        var slug = NewListSlug();
        var listId = await app.CreateListAsync(slug);
        var tag = Guid.NewGuid().ToString("N");
        await app.SubscribeAsync($"a-{tag}@example.com", listId);
        await app.SubscribeAsync($"b-{tag}@example.com", listId);
        await app.SubscribeAsync($"c-{tag}@example.com", listId, "unconfirmed");
        await app.SubscribeAsync($"d-{tag}@example.com", listId, "unsubscribed");
        using var admin = await app.AdminAsync();

        var page = await admin.GetStringAsync("/admin/lists");

        var row = RowOf(page, slug);
        Assert.Contains("<b>2</b> confirmed", row);
        Assert.Contains("<b>1</b> unconfirmed", row);
        Assert.Contains("<b>1</b> unsubscribed", row);
        Assert.Contains("single opt-in", row);
        Assert.Contains($"href=\"/admin/lists/{slug}/import\"", row);
        Assert.Contains($"href=\"/admin/lists/{slug}/export\"", row);
        Assert.Contains("href=\"/admin/lists\">Lists</a>", page);
    }

    [Fact]
    public async Task CreatedListIsStoredAndListed()
    {
        using var admin = await app.AdminAsync();
        var slug = NewListSlug();

        var created = await PostFormAsync(admin, "/admin/lists", "/admin/lists",
            new() { ["slug"] = slug, ["name"] = "  The Weekly  ", ["description"] = "Every Thursday" });

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var list = await Subscribers.FindListAsync(slug);
        Assert.NotNull(list);
        Assert.Equal("The Weekly", list.Name);
        Assert.Equal("Every Thursday", list.Description);
        Assert.False(list.DoubleOptIn);
        var page = await admin.GetStringAsync(created.Headers.Location);
        Assert.Contains($"Created the list <code>{slug}</code>", page);
        Assert.Contains("<b>0</b> confirmed", RowOf(page, slug));

        var doubleSlug = NewListSlug();
        await PostFormAsync(admin, "/admin/lists", "/admin/lists", new() { ["slug"] = doubleSlug, ["name"] = "Double", ["double_opt_in"] = "true" });
        Assert.True((await Subscribers.FindListAsync(doubleSlug))!.DoubleOptIn);
    }

    [Fact]
    public async Task BadSlugOrMissingNameIsRefusedInlineAndNothingIsStored()
    {
        using var admin = await app.AdminAsync();
        var before = await ListsAsync();

        var badSlug = await PostFormAsync(admin, "/admin/lists", "/admin/lists", new() { ["slug"] = "Not A Slug", ["name"] = "Kept Name" });
        var noName = await PostFormAsync(admin, "/admin/lists", "/admin/lists", new() { ["slug"] = NewListSlug(), ["name"] = " " });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, badSlug.StatusCode);
        var page = WebUtility.HtmlDecode(await badSlug.Content.ReadAsStringAsync());
        Assert.Contains("'Not A Slug' is not a valid slug: use 1-64 lower-case letters, digits and '-', starting with a letter or digit.", page);
        Assert.Contains("value=\"Kept Name\"", page);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noName.StatusCode);
        Assert.Contains("Give the list the name subscribers will see.", WebUtility.HtmlDecode(await noName.Content.ReadAsStringAsync()));
        Assert.Equal(before, await ListsAsync());
    }

    [Fact]
    public async Task TakenSlugIsRefusedInlineAndTheListIsUnchanged()
    {
        using var admin = await app.AdminAsync();
        var slug = NewListSlug();
        await PostFormAsync(admin, "/admin/lists", "/admin/lists", new() { ["slug"] = slug, ["name"] = "First" });

        var again = await PostFormAsync(admin, "/admin/lists", "/admin/lists", new() { ["slug"] = slug, ["name"] = "Second" });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains($"There is already a list '{slug}': choose another slug.", WebUtility.HtmlDecode(await again.Content.ReadAsStringAsync()));
        Assert.Equal("First", (await Subscribers.FindListAsync(slug))!.Name);
    }

    [Fact]
    public async Task ImportWithBadRowsShowsTheSummaryAndTheRejectedRowsWithTheirLines()
    {
        var slug = NewListSlug();
        await app.CreateListAsync(slug);
        var tag = Guid.NewGuid().ToString("N")[..10];
        var csv = $"""
            email,name,city
            ann-{tag}@example.com,Ann,Oslo
            not-an-address,Bob,Rome
            carl-{tag}@example.com,Carl,Lima
            ,Nobody,Nowhere
            dora-{tag}@example.org,Dora,Bonn
            ann-{tag}@example.com,Ann Again,Oslo
            """;
        using var admin = await app.AdminAsync();

        var started = await UploadAsync(admin, slug, csv, confirmed: true);
        var progress = await WaitUntilOverAsync(admin, started);
        var page = WebUtility.HtmlDecode(await admin.GetStringAsync(started));
        var rejected = await admin.GetAsync($"{started}/rejected.csv");

        Assert.Equal("done", progress.GetProperty("status").GetString());
        Assert.Contains("Imported: 6 rows read.", page);
        Assert.Contains("<dt>New on the list</dt><dd>3</dd>", page);
        Assert.Contains("<dt>Rejected</dt><dd>2</dd>", page);
        Assert.Contains("<dt>Repeats of an earlier row</dt><dd>1</dd>", page);
        Assert.Contains($"{started}/rejected.csv", page);
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        Assert.Equal("text/csv", rejected.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"{slug}-import-{IdOfImport(started)}-rejected.csv", rejected.Content.Headers.ContentDisposition!.FileNameStar);
        var lines = (await rejected.Content.ReadAsStringAsync()).ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal("line,reason", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("3,", lines[1]);
        Assert.StartsWith("5,", lines[2]);
        Assert.Contains("no email address", lines[2]);
        Assert.Equal("ann-{0}@example.com=Ann Again=confirmed;carl-{0}@example.com=Carl=confirmed;dora-{0}@example.org=Dora=confirmed"
            .Replace("{0}", tag), await MembersAsync(slug));
    }

    [Fact]
    public async Task ProgressEndpointReachesDoneWithTheWholeFileRead()
    {
        var slug = NewListSlug();
        await app.CreateListAsync(slug);
        var tag = Guid.NewGuid().ToString("N")[..10];
        var csv = new StringBuilder("email,name\n");
        for (var i = 0; i < 20_000; i++)
            csv.Append(CultureInvariant($"p{i}-{tag}@example.com,Person {i}\n"));
        using var admin = await app.AdminAsync();

        var started = await UploadAsync(admin, slug, csv.ToString(), confirmed: false);
        var first = await ProgressAsync(admin, started);
        var last = await WaitUntilOverAsync(admin, started);

        Assert.Contains(first.GetProperty("status").GetString(), new[] { "queued", "running", "done" });
        Assert.Equal(Encoding.UTF8.GetByteCount(csv.ToString()), first.GetProperty("totalBytes").GetInt64());
        Assert.Equal("done", last.GetProperty("status").GetString());
        Assert.True(last.GetProperty("over").GetBoolean());
        Assert.Equal(last.GetProperty("totalBytes").GetInt64(), last.GetProperty("readBytes").GetInt64());
        Assert.Equal(20_000, await app.ScalarAsync<long>(
            "SELECT count(*) FROM subscriptions s JOIN lists l ON l.id = s.list_id WHERE l.slug = @slug AND s.status = 'unconfirmed'", new { slug }));
        Assert.DoesNotContain("rejected.csv", await admin.GetStringAsync(started));
    }

    [Fact]
    public async Task PageWhileTheImportRunsHasItsProgressBarAndScript()
    {
        var slug = NewListSlug();
        await app.CreateListAsync(slug);
        var import = await app.Services.GetRequiredService<ListImportStore>().AddAsync(
            (await Subscribers.FindListAsync(slug))!.Id, "waiting.csv", false, new MemoryStream("email\n"u8.ToArray()), 6);
        using var admin = await app.AdminAsync();

        var page = await admin.GetStringAsync($"/admin/lists/{slug}/imports/{import}");

        Assert.Contains("<progress max=\"6\" value=\"0\">", page);
        Assert.Contains($"data-progress=\"/admin/lists/{slug}/imports/{import}/progress\"", page);
        Assert.Contains("<script src=\"/assets/list-import.js\" defer></script>", page);
        var script = await admin.GetAsync("/assets/list-import.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }

    [Fact]
    public async Task FailedImportSaysWhyAndChangesNothing()
    {
        var slug = NewListSlug();
        await app.CreateListAsync(slug);
        using var admin = await app.AdminAsync();

        var started = await UploadAsync(admin, slug, "name,city\nAnn,Oslo\n", confirmed: true);
        var progress = await WaitUntilOverAsync(admin, started);
        var page = WebUtility.HtmlDecode(await admin.GetStringAsync(started));

        Assert.Equal("failed", progress.GetProperty("status").GetString());
        Assert.Contains("The import failed and changed nothing:", page);
        Assert.Equal("", await MembersAsync(slug));
        Assert.True(await app.ScalarAsync<bool>("SELECT file IS NULL FROM list_imports WHERE id = @id", new { id = IdOfImport(started) }));
    }

    [Fact]
    public async Task ImportWithoutAFileIsRefusedOnTheForm()
    {
        var slug = NewListSlug();
        await app.CreateListAsync(slug);
        using var admin = await app.AdminAsync();
        var token = await FormTokenAsync(admin, $"/admin/lists/{slug}/import");
        using var form = new MultipartFormDataContent { { new StringContent(token.Value), token.Key } };

        var refused = await admin.PostAsync($"/admin/lists/{slug}/import", form);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("Choose a CSV file to import.", await refused.Content.ReadAsStringAsync());
        Assert.Equal(0, await app.ScalarAsync<long>(
            "SELECT count(*) FROM list_imports i JOIN lists l ON l.id = i.list_id WHERE l.slug = @slug", new { slug }));
    }

    [Fact]
    public async Task ImportPageStatesTheUploadLimit()
    {
        var slug = NewListSlug();
        await app.CreateListAsync(slug);
        using var admin = await app.AdminAsync();

        var page = await admin.GetStringAsync($"/admin/lists/{slug}/import");

        Assert.Contains($"CSV file (up to {Newsletter.Authoring.ListPages.MaxUploadBytes / 1024 / 1024} MB)", page);
    }

    [Fact]
    public async Task UploadLargerThanAnOrdinaryRequestIsTaken()
    {
        var slug = NewListSlug();
        await app.CreateListAsync(slug);
        using var admin = await app.AdminAsync();
        // Kestrel refuses bodies over 30,000,000 bytes unless the endpoint says otherwise.
        var csv = "email,name\nbig@example.com," + new string('x', 31_000_000) + "\n";

        var started = await UploadAsync(admin, slug, csv, confirmed: false);

        Assert.Equal(Encoding.UTF8.GetByteCount(csv), (await ProgressAsync(admin, started)).GetProperty("totalBytes").GetInt64());
        await WaitUntilOverAsync(admin, started);
    }

    [Fact]
    public async Task UnknownListOrAnotherListsImportIsNotFound()
    {
        var slug = NewListSlug();
        var other = NewListSlug();
        await app.CreateListAsync(slug);
        var otherId = await app.CreateListAsync(other);
        var import = await app.Services.GetRequiredService<ListImportStore>().AddAsync(otherId, "theirs.csv", false,
            new MemoryStream("email\n"u8.ToArray()), 6);
        using var admin = await app.AdminAsync();

        foreach (var page in new[] { "/admin/lists/no-such-list-here/import", $"/admin/lists/{slug}/imports/{import}",
                     $"/admin/lists/{slug}/imports/{import}/progress", $"/admin/lists/{slug}/imports/{import}/rejected.csv" })
        {
            var response = await admin.GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{page}: {response.StatusCode}");
        }
    }

    [Fact]
    public async Task ExportIsTheListAsCsv()
    {
        var slug = NewListSlug();
        var listId = await app.CreateListAsync(slug);
        var tag = Guid.NewGuid().ToString("N")[..10];
        await app.SubscribeAsync($"x-{tag}@example.com", listId, name: "Xena");
        await app.SubscribeAsync($"y-{tag}@example.com", listId, "unsubscribed", name: "=HYPERLINK(\"x\")");
        using var admin = await app.AdminAsync();

        var export = await admin.GetAsync($"/admin/lists/{slug}/export");
        var unknown = await admin.GetAsync("/admin/lists/no-such-list-here/export");

        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("text/csv", export.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"{slug}.csv", export.Content.Headers.ContentDisposition!.FileNameStar);
        var lines = (await export.Content.ReadAsStringAsync()).ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal("email,name,status,subscriber_created_at,subscribed_at,confirmed_at,unsubscribed_at,attributes", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith($"x-{tag}@example.com,Xena,confirmed,", lines[1]);
        Assert.StartsWith($"y-{tag}@example.com,\"'=HYPERLINK(\"\"x\"\")\",unsubscribed,", lines[2]);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private static string NewListSlug() => $"l-{Guid.NewGuid():N}"[..14];

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);

    /// <summary>Uploads the CSV as the import page's form does; returns the import's page address.</summary>
    private static async Task<string> UploadAsync(HttpClient admin, string slug, string csv, bool confirmed)
    {
        var token = await FormTokenAsync(admin, $"/admin/lists/{slug}/import");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token.Value), token.Key },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "people.csv" },
        };
        if (confirmed)
            form.Add(new StringContent("true"), "confirmed");
        var started = await admin.PostAsync($"/admin/lists/{slug}/import", form);
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var location = started.Headers.Location!.OriginalString;
        Assert.Matches($"^/admin/lists/{slug}/imports/\\d+$", location);
        return location;
    }

    private static async Task<JsonElement> ProgressAsync(HttpClient client, string import)
    {
        var response = await client.GetAsync($"{import}/progress");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Polls the progress endpoint as the page's script does until the import's job is over.</summary>
    private static async Task<JsonElement> WaitUntilOverAsync(HttpClient client, string import)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var progress = await ProgressAsync(client, import);
            if (progress.GetProperty("over").GetBoolean())
                return progress;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{import} is still {progress}");
            await Task.Delay(100);
        }
    }

    private static long IdOfImport(string import) => long.Parse(ImportAddress().Match(import).Groups[1].Value);

    /// <summary>The list's members as email=name=status, by email.</summary>
    private Task<string> MembersAsync(string slug) => app.ScalarAsync<string>("""
        SELECT coalesce(string_agg(concat_ws('=', p.email, p.name, s.status), ';' ORDER BY p.email), '')
        FROM subscriptions s JOIN lists l ON l.id = s.list_id JOIN subscribers p ON p.id = s.subscriber_id
        WHERE l.slug = @slug
        """, new { slug });

    private Task<string> ListsAsync() => app.ScalarAsync<string>(
        "SELECT coalesce(string_agg(concat_ws('|', slug, name, description, double_opt_in), ';' ORDER BY id), '') FROM lists");

    /// <summary>The row of the lists page that shows <paramref name="slug"/>.</summary>
    private static string RowOf(string page, string slug)
    {
        var row = Regex.Matches(page, "<li>(.*?)</li>", RegexOptions.Singleline).FirstOrDefault(m => m.Value.Contains($">{slug}</small>"));
        Assert.NotNull(row);
        return row.Value;
    }

    [GeneratedRegex(@"/imports/(\d+)$")]
    private static partial Regex ImportAddress();
}
