using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Subscribers;
using Newsletter.Tests.Infrastructure;
using Npgsql;

namespace Newsletter.Tests.Subscribers;

public sealed class SubscriberErasureTests(SubscribersTestApp app) : IClassFixture<SubscribersTestApp>
{
    private SubscriberEraser Eraser => app.Services.GetRequiredService<SubscriberEraser>();

    [Fact]
    public async Task ErasureLeavesNoTraceOfTheAddressButItsHash()
    {
        var (email, list, sendId) = await SubscriberWithHistoryAsync();
        await app.Store.SuppressAsync(email, "complaint", $"ARF report for {email}", "bounce");
        var id = await app.SubscriberIdAsync(email);

        var erasure = await Eraser.EraseAsync(email.ToUpperInvariant(), new ConsentContext("cli"));

        Assert.True(erasure.SubscriberErased);
        Assert.Equal((1L, 2L, "complaint", false), (erasure.Lists, erasure.Attributes, erasure.Suppression, erasure.AlreadyErased));
        Assert.Equal(2, erasure.DeliveriesAnonymised);
        Assert.True(erasure.ConsentEventsScrubbed >= 2);
        Assert.Equal(0L, await app.ScalarAsync<long>("SELECT count(*) FROM subscribers WHERE id = $1", id));
        Assert.Equal(0L, await app.ScalarAsync<long>("SELECT count(*) FROM subscriptions WHERE subscriber_id = $1", id));
        Assert.Equal(0L, await app.ScalarAsync<long>("SELECT count(*) FROM suppressions WHERE email_lower = lower($1)", email));
        // Nowhere in our tables: the consent log (details, clients), the ledger (address, name, relay answers).
        var local = email.Split('@')[0];
        Assert.Equal(0L, await app.ScalarAsync<long>(
            "SELECT count(*) FROM consent_events WHERE strpos(lower(coalesce(detail::text, '')), $1) > 0 OR (subscriber_id = $2 AND (ip IS NOT NULL OR user_agent IS NOT NULL))",
            local, id));
        Assert.Equal(0L, await app.ScalarAsync<long>(
            "SELECT count(*) FROM deliveries WHERE strpos(email || name || coalesce(last_error, ''), $1) > 0 OR (subscriber_id = $2 AND name <> '')", local, id));
        // Kept for the counts: the rows and their states; the one not sent yet will not be.
        Assert.Equal(["sent", "skipped"], (await QueryAsync<string>(
            "SELECT status FROM deliveries WHERE subscriber_id = @id ORDER BY send_id", new { id })));
        Assert.Equal(sendId, await app.ScalarAsync<long>("SELECT min(send_id) FROM deliveries WHERE subscriber_id = $1", id));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(email.ToLowerInvariant()));
        Assert.Equal(1L, await app.ScalarAsync<long>("SELECT count(*) FROM erased_addresses WHERE email_hash = $1", hash));
        Assert.Equal(list.Id, (await app.Store.FindListAsync(list.Slug))!.Id);
    }

    [Fact]
    public async Task AnErasedAddressIsRefusedByAConfirmedImport()
    {
        var (email, list, _) = await SubscriberWithHistoryAsync();
        await Eraser.EraseAsync(email, new ConsentContext("cli"));

        var csv = new MemoryStream(Encoding.UTF8.GetBytes($"email,name\n{email.ToUpperInvariant()},Ada Again\nfresh-{email},Fresh\n"));
        var summary = await app.Services.GetRequiredService<SubscriberImporter>().ImportAsync(csv, list.Slug, confirmed: true, _ => { });

        Assert.Equal((1L, 1L), (summary.Imported, summary.Suppressed));
        Assert.Equal(0L, await app.ScalarAsync<long>("SELECT count(*) FROM subscribers WHERE lower(email) = lower($1)", email));
        Assert.Equal("confirmed", await app.StatusAsync($"fresh-{email}", list.Id));
    }

    [Fact]
    public async Task AnErasedAddressSigningUpAgainGetsNoMailAndIsNotWrittenDown()
    {
        var list = await app.CreateListAsync(doubleOptIn: true);
        var email = $"gone-{Guid.NewGuid():N}@example.com";
        await app.Store.SubscribeAsync(list, email, "Gone", new ConsentContext("form", "192.0.2.9"));
        await Eraser.EraseAsync(email, new ConsentContext("cli"));
        using var client = app.CreateClient();

        var again = await SubscribeAsync(client, email.ToUpperInvariant(), list.Slug);
        // A sign-up after it, which does get its mail: the refused one enqueued none to come later.
        var control = $"control-{Guid.NewGuid():N}@example.com";
        await SubscribeAsync(client, control, list.Slug);
        await app.MailToAsync(control, "Confirm");

        Assert.Equal(System.Net.HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(0, app.MailCount(email));
        Assert.Equal(0L, await app.ScalarAsync<long>("SELECT count(*) FROM subscribers WHERE lower(email) = lower($1)", email));
        Assert.Equal(0L, await app.ScalarAsync<long>("SELECT count(*) FROM consent_events WHERE strpos(lower(coalesce(detail::text, '')), lower($1)) > 0", email));
        Assert.Equal(SubscribeOutcome.Suppressed, (await app.Store.SubscribeAsync(list, email, "", new ConsentContext("form"))).Outcome);
    }

    [Fact]
    public async Task ErasingTwiceIsHarmlessAndAnAddressNeverHeldIsRefused()
    {
        var list = await app.CreateListAsync(doubleOptIn: false);
        var email = $"twice-{Guid.NewGuid():N}@example.com";
        await app.Store.SubscribeAsync(list, email, "", new ConsentContext("form"));
        await Eraser.EraseAsync(email, new ConsentContext("cli"));

        var second = await Eraser.EraseAsync(email, new ConsentContext("cli"));

        Assert.Equal((false, true, 0L), (second.SubscriberErased, second.AlreadyErased, second.ConsentEventsScrubbed));
        await Assert.ThrowsAsync<UnknownSubscriberException>(() => Eraser.EraseAsync($"never-{email}", new ConsentContext("cli")));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"never-{email}"));
        Assert.Equal(0L, await app.ScalarAsync<long>("SELECT count(*) FROM erased_addresses WHERE email_hash = $1", hash));
    }

    [Fact]
    public async Task AnAddressOnlySuppressedIsErasedToItsHash()
    {
        var email = $"only-suppressed-{Guid.NewGuid():N}@example.com";
        await new TestAudience(app.ConnectionString).SuppressAsync(email);

        var erasure = await Eraser.EraseAsync(email, new ConsentContext("cli"));

        Assert.Equal((false, "manual"), (erasure.SubscriberErased, erasure.Suppression));
        Assert.Equal(0L, await app.ScalarAsync<long>("SELECT count(*) FROM suppressions WHERE email_lower = lower($1)", email));
        Assert.Equal(SubscribeOutcome.Suppressed,
            (await app.Store.SubscribeAsync(await app.CreateListAsync(doubleOptIn: false), email, "", new ConsentContext("form"))).Outcome);
    }

    /// <summary>A confirmed form sign-up with a client address and two attributes, one sent delivery and one still pending.</summary>
    private async Task<(string Email, MailingList List, long SentSendId)> SubscriberWithHistoryAsync()
    {
        var list = await app.CreateListAsync(doubleOptIn: false);
        var email = $"ada-{Guid.NewGuid():N}@example.com";
        var id = (await app.Store.SubscribeAsync(list, email, "Ada Person", new ConsentContext("form", "192.0.2.7", "Test Browser"))).SubscriberId;
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.ExecuteAsync("""UPDATE subscribers SET attributes = '{"city": "Berlin", "plan": "free"}' WHERE id = @id""", new { id });
        var issue = await connection.ExecuteScalarAsync<long>("INSERT INTO issues (slug, title, source) VALUES (@slug, 'Issue', '') RETURNING id",
            new { slug = "erase-" + list.Slug });
        long sent = 0;
        foreach (var status in new[] { "sent", "pending" })
        {
            var sendId = await connection.ExecuteScalarAsync<long>(
                "INSERT INTO sends (issue_id, list_ids, status, scheduled_at) VALUES (@issue, ARRAY[@list], 'sending', now()) RETURNING id",
                new { issue, list = list.Id });
            sent = sent == 0 ? sendId : sent;
            await connection.ExecuteAsync(
                "INSERT INTO deliveries (send_id, subscriber_id, list_id, email, name, status, last_error) VALUES (@sendId, @id, @list, @email, 'Ada Person', @status, @error)",
                new { sendId, id, list = list.Id, email, status, error = $"451 try later for <{email}>" });
        }
        return (email, list, sent);
    }

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object parameters)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        return (await connection.QueryAsync<T>(sql, parameters)).AsList();
    }

    private static Task<HttpResponseMessage> SubscribeAsync(HttpClient client, string email, string list) =>
        client.PostAsync("/subscribe", new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = email, ["name"] = "", ["list"] = list }));
}
