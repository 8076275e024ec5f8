using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Authoring;
using Newsletter.Subscribers;
using static Newsletter.Tests.Authoring.AuthoringTestApp;

namespace Newsletter.Tests.Authoring;

/// <summary>The subscriber pages as an admin uses them: search, one person's page, their data, and each consent change.</summary>
public sealed partial class SubscriberPagesTests(AuthoringTestApp app) : IClassFixture<AuthoringTestApp>
{
    [Fact]
    public async Task SearchFindsByAddressOrNamePrefixInAnyCaseAndPagesWithTheCursor()
    {
        var tag = Tag();
        var listId = await app.CreateListAsync($"sr-{tag}");
        await app.Audience.SubscribeManyAsync($"pg{tag}-", SubscriberPages.PerPage + 5, listId);
        var named = await app.SubscribeAsync($"someone-{tag}@example.com", listId, "unconfirmed", name: $"Zelda{tag} Fitz");
        using var admin = await app.AdminAsync();

        var first = await admin.GetStringAsync($"/admin/subscribers?q=PG{tag.ToUpperInvariant()}");
        var next = NextPage().Match(first);
        Assert.True(next.Success, "the first page links to the next");
        var second = await admin.GetStringAsync(WebUtility.HtmlDecode(next.Groups[1].Value));

        var found = Ids(first).Concat(Ids(second)).ToList();
        Assert.Equal(SubscriberPages.PerPage, Ids(first).Count);
        Assert.Equal(SubscriberPages.PerPage + 5, found.Distinct().Count());
        Assert.DoesNotMatch(NextPage(), second);
        Assert.Contains($"pg{tag}-1@example.com", first);
        Assert.Contains("1 confirmed", first);

        var byName = await admin.GetStringAsync($"/admin/subscribers?q=zELDA{tag}");
        Assert.Equal([named], Ids(byName));
        Assert.Contains($"Zelda{tag} Fitz", byName);
        Assert.Contains("1 unconfirmed", byName);
        Assert.Contains("No subscriber's address or name starts with that.",
            WebUtility.HtmlDecode(await admin.GetStringAsync($"/admin/subscribers?q=nobody-{tag}")));
        Assert.Contains("href=\"/admin/subscribers\">Subscribers</a>", first);
    }

    [Fact]
    public async Task ProfileShowsListsAttributesSuppressionConsentTrailAndDeliveries()
    {
        var person = await PersonAsync();
        await app.Services.GetRequiredService<SubscriberStore>().SuppressAsync(person.Email, "complaint", null, "bounce");
        using var admin = await app.AdminAsync();

        var page = WebUtility.HtmlDecode(await admin.GetStringAsync($"/admin/subscribers/{person.Id}"));

        Assert.Contains($"<h1>{person.Email}</h1>", page);
        Assert.Contains("Ada Lovelace", page);
        Assert.Matches($"{person.Slug}</small>\\s*</span>\\s*<span class=\"state\">confirmed</span>", page);
        Assert.Matches($"{person.OtherSlug}</small>\\s*</span>\\s*<span class=\"state\">unconfirmed</span>", page);
        Assert.Contains("<dt>city</dt><dd>Lyon</dd>", page);
        Assert.Contains("<dt>visits</dt><dd>3</dd>", page);
        Assert.Contains("<span class=\"state state-cancelled\">complaint</span>", page);
        Assert.Contains("<strong>subscribed</strong>", page);
        Assert.Contains("from 203.0.113.9", page);
        Assert.Contains("by bounce", page);
        Assert.Contains($"href=\"/admin/sends/{person.SendId}\"", page);
        Assert.Contains("550 5.2.2 mailbox full", page);
        Assert.Contains("state-failed", page);
    }

    [Fact]
    public async Task UnknownSubscriberIsANotFoundPageAndAPostForItChangesNothing()
    {
        using var admin = await app.AdminAsync();
        var before = await SnapshotAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/admin/subscribers/987654321")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/admin/subscribers/987654321/data.json")).StatusCode);
        foreach (var action in new[] { "unsubscribe", "unsubscribe-all", "suppress", "erase" })
        {
            var response = await PostFormAsync(admin, "/admin/subscribers", $"/admin/subscribers/987654321/{action}",
                new() { ["confirm"] = "erase", ["list"] = "x", ["reason"] = "x" });
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{action}: {response.StatusCode}");
            Assert.Contains("No such subscriber", await response.Content.ReadAsStringAsync());
        }
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task UnsubscribingFromOneListLeavesTheOtherAndLogsTheAdmin()
    {
        var person = await PersonAsync();
        using var admin = await app.AdminAsync();
        var events = await EventCountAsync(person.Id);

        var response = await PostFormAsync(admin, Profile(person), $"{Profile(person)}/unsubscribe", new() { ["list"] = person.Slug });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("Unsubscribed from the list.", await admin.GetStringAsync(response.Headers.Location));
        Assert.Equal($"{person.OtherSlug}=unconfirmed {person.Slug}=unsubscribed", await StatusesAsync(person.Id));
        Assert.Equal(events + 1, await EventCountAsync(person.Id));
        Assert.Equal(("unsubscribed", "admin", person.Slug, true), await LastEventAsync(person.Id));
        Assert.Equal(0L, await SuppressedAsync(person.Email));
    }

    [Fact]
    public async Task UnsubscribingFromAllLeavesEveryListSuppressesAndLogsTheAdmin()
    {
        var person = await PersonAsync();
        using var admin = await app.AdminAsync();
        var events = await EventCountAsync(person.Id);

        var response = await PostFormAsync(admin, Profile(person), $"{Profile(person)}/unsubscribe-all", []);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"{person.OtherSlug}=unsubscribed {person.Slug}=unsubscribed", await StatusesAsync(person.Id));
        Assert.Equal("unsubscribed_all", await app.ScalarAsync<string>("SELECT reason FROM suppressions WHERE email_lower = lower(@e)", new { e = person.Email }));
        Assert.Equal(events + 3, await EventCountAsync(person.Id));
        Assert.Equal(3L, await app.ScalarAsync<long>(
            "SELECT count(*) FROM consent_events WHERE subscriber_id = @id AND source = 'admin' AND ip IS NOT NULL", new { id = person.Id }));
    }

    [Fact]
    public async Task SuppressingKeepsTheReasonTextAndLogsTheAdmin()
    {
        var person = await PersonAsync();
        using var admin = await app.AdminAsync();

        var response = await PostFormAsync(admin, Profile(person), $"{Profile(person)}/suppress", new() { ["reason"] = "  asked by phone  " });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("manual|asked by phone", await app.ScalarAsync<string>(
            "SELECT reason || '|' || detail FROM suppressions WHERE email_lower = lower(@e)", new { e = person.Email }));
        Assert.Equal(("suppressed", "admin", (string?)null, true), await LastEventAsync(person.Id));
        Assert.Equal($"{person.OtherSlug}=unconfirmed {person.Slug}=confirmed", await StatusesAsync(person.Id));
        var page = WebUtility.HtmlDecode(await admin.GetStringAsync(response.Headers.Location));
        Assert.Contains("The address is suppressed", page);
        Assert.Contains("<span class=\"state state-cancelled\">manual</span>", page);
    }

    [Fact]
    public async Task EraseWithoutTheTickedConfirmationErasesNothing()
    {
        var person = await PersonAsync();
        using var admin = await app.AdminAsync();
        var before = await SnapshotAsync();

        var response = await PostFormAsync(admin, Profile(person), $"{Profile(person)}/erase", []);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Tick the box to confirm", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task EraseRemovesThePersonLogsTheAdminAndAReimportIsRefused()
    {
        var person = await PersonAsync();
        using var admin = await app.AdminAsync();

        var response = await PostFormAsync(admin, Profile(person), $"{Profile(person)}/erase", new() { ["confirm"] = "erase" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/subscribers?erased=true", response.Headers.Location!.OriginalString);
        Assert.Contains("The subscriber was erased", await admin.GetStringAsync(response.Headers.Location));
        Assert.Equal(0L, await app.ScalarAsync<long>("SELECT count(*) FROM subscribers WHERE id = @id", new { id = person.Id }));
        Assert.Equal(("suppressed_erased", "admin", (string?)null, true), await LastEventAsync(person.Id));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(Profile(person))).StatusCode);

        var csv = new MemoryStream(Encoding.UTF8.GetBytes($"email,name\n{person.Email.ToUpperInvariant()},Ada Again\n"));
        var summary = await app.Services.GetRequiredService<SubscriberImporter>().ImportAsync(csv, person.Slug, confirmed: true, _ => { });
        Assert.Equal((0L, 1L), (summary.Imported, summary.Suppressed));
        Assert.Equal(0L, await app.ScalarAsync<long>("SELECT count(*) FROM subscribers WHERE lower(email) = lower(@e)", new { e = person.Email }));
    }

    [Fact]
    public async Task DataDownloadIsTheSubscribersJsonNeverCached()
    {
        var person = await PersonAsync();
        using var admin = await app.AdminAsync();

        var response = await admin.GetAsync($"{Profile(person)}/data.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal($"subscriber-{person.Id}.json", response.Content.Headers.ContentDisposition.FileNameStar);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        using var data = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var subscriber = data.RootElement.GetProperty("subscriber");
        Assert.Equal(person.Email, subscriber.GetProperty("email").GetString());
        Assert.Equal("Lyon", subscriber.GetProperty("attributes").GetProperty("city").GetString());
        Assert.Equal(2, data.RootElement.GetProperty("lists").GetArrayLength());
        Assert.Equal(person.SendId, data.RootElement.GetProperty("deliveries")[0].GetProperty("send_id").GetInt64());
        Assert.Contains(data.RootElement.GetProperty("consent_events").EnumerateArray(), e => e.GetProperty("ip").GetString() == "203.0.113.9");
    }

    /// <summary>A person on two lists (confirmed on the first, unconfirmed on the other), with attributes, a consent event and a failed delivery.</summary>
    internal static async Task<Person> PersonAsync(AuthoringTestApp app)
    {
        var tag = Tag();
        var slug = $"sp-{tag}";
        var (listId, sendId) = await app.Audience.CreateFrozenSendAsync(slug, 1);
        var email = $"{slug}-1@example.com";
        var id = await app.ScalarAsync<long>("""
            UPDATE subscribers SET name = 'Ada Lovelace', attributes = '{"city": "Lyon", "visits": 3}' WHERE lower(email) = lower(@email)
            RETURNING id
            """, new { email });
        await app.Audience.ExecuteAsync(
            "UPDATE deliveries SET status = 'failed', attempts = 3, last_error = '550 5.2.2 mailbox full' WHERE send_id = @sendId", new { sendId });
        var otherSlug = $"sq-{tag}";
        var otherId = await app.CreateListAsync(otherSlug);
        await app.SubscribeAsync(email, otherId, "unconfirmed", "Ada Lovelace");
        await app.Audience.ExecuteAsync("""
            INSERT INTO consent_events (subscriber_id, list_id, action, source, ip) VALUES (@id, @otherId, 'subscribed', 'form', '203.0.113.9')
            """, new { id, otherId });
        return new Person(id, email, slug, listId, otherSlug, sendId);
    }

    internal sealed record Person(long Id, string Email, string Slug, long ListId, string OtherSlug, long SendId);

    private Task<Person> PersonAsync() => PersonAsync(app);

    private static string Profile(Person person) => $"/admin/subscribers/{person.Id}";

    private static string Tag() => Guid.NewGuid().ToString("N")[..10];

    private static List<long> Ids(string html) => SubscriberLink().Matches(html).Select(m => long.Parse(m.Groups[1].Value)).ToList();

    private Task<string> StatusesAsync(long id) => app.ScalarAsync<string>(
        "SELECT string_agg(l.slug || '=' || s.status, ' ' ORDER BY l.slug DESC) FROM subscriptions s JOIN lists l ON l.id = s.list_id WHERE s.subscriber_id = @id",
        new { id });

    private Task<long> EventCountAsync(long id) =>
        app.ScalarAsync<long>("SELECT count(*) FROM consent_events WHERE subscriber_id = @id", new { id });

    /// <summary>The person's latest consent event: action, source, list, and whether it recorded the client's address.</summary>
    private async Task<(string, string, string?, bool)> LastEventAsync(long id) =>
        (await app.Audience.QueryAsync<(string, string, string?, bool)>("""
            SELECT e.action, e.source, l.slug, e.ip IS NOT NULL
            FROM consent_events e LEFT JOIN lists l ON l.id = e.list_id WHERE e.subscriber_id = @id ORDER BY e.id DESC LIMIT 1
            """, new { id })).Single();

    private Task<long> SuppressedAsync(string email) =>
        app.ScalarAsync<long>("SELECT count(*) FROM suppressions WHERE email_lower = lower(@email)", new { email });

    /// <summary>Every subscriber, subscription, suppression, consent event and erased hash, counted.</summary>
    private Task<string> SnapshotAsync() => SubscriberPagesAccessTests.SnapshotAsync(app);

    [GeneratedRegex("<a href=\"(/admin/subscribers\\?q=[^\"]*)\">Next page</a>")]
    private static partial Regex NextPage();

    [GeneratedRegex("href=\"/admin/subscribers/(\\d+)\"")]
    private static partial Regex SubscriberLink();
}
