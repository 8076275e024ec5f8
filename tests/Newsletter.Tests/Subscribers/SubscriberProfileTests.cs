using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Subscribers;
using Npgsql;

namespace Newsletter.Tests.Subscribers;

public sealed class SubscriberProfileTests(SubscribersTestApp app) : IClassFixture<SubscribersTestApp>
{
    private SubscriberProfiles Profiles => app.Services.GetRequiredService<SubscriberProfiles>();

    [Fact]
    public async Task TheProfileHoldsListsAttributesConsentTrailAndDeliveries()
    {
        var (email, list, sendId) = await SubscriberWithADeliveryAsync();

        var profile = await Profiles.GetAsync(email.ToUpperInvariant());

        Assert.Equal(email, profile.Email);
        Assert.Equal("Ada", profile.Name);
        Assert.Equal("Berlin", profile.Attributes["city"].GetString());
        Assert.Equal(3, profile.Attributes["visits"].GetInt32());
        var subscription = Assert.Single(profile.Lists);
        Assert.Equal((list.Slug, "confirmed", "form"), (subscription.ListSlug, subscription.Status, subscription.Source));
        var signUp = profile.ConsentTrail[0];
        Assert.Equal(("subscribed", "form", list.Slug, "192.0.2.7", "Test Browser"),
            (signUp.Action, signUp.Source, signUp.ListSlug, signUp.Ip, signUp.UserAgent));
        Assert.Equal(["subscribed", "unsubscribed"], profile.ConsentTrail.Select(e => e.Action));
        var delivery = Assert.Single(profile.Deliveries);
        Assert.Equal((sendId, "issue-" + list.Slug, "sent", email), (delivery.SendId, delivery.IssueSlug, delivery.Status, delivery.Email));
        Assert.NotNull(delivery.SentAt);
        Assert.Null(profile.Suppression);
    }

    [Fact]
    public async Task TheDataExportIsJsonWithEverythingHeldAboutThem()
    {
        var (email, list, sendId) = await SubscriberWithADeliveryAsync();
        await app.Store.SuppressAsync(email, "manual", "asked by phone", "admin");
        // Refused sign-ups logged without a subscriber: this address's comes along, a longer one's does not.
        var refused = await app.CreateListAsync(doubleOptIn: false);
        await app.Store.SuppressAsync("jo" + email, "manual", null, "admin");
        await app.Store.SubscribeAsync(refused, "jo" + email, "", new ConsentContext("form", "198.51.100.1"));
        await using (var connection = new NpgsqlConnection(app.ConnectionString))
            await connection.ExecuteAsync(
                "INSERT INTO consent_events (action, source, ip, detail) VALUES ('subscribe_refused', 'form', '198.51.100.2', jsonb_build_object('email', @email))",
                new { email = email.ToUpperInvariant() });

        using var output = new MemoryStream();
        await Profiles.ExportDataAsync(email, output);

        using var json = JsonDocument.Parse(output.ToArray());
        var root = json.RootElement;
        Assert.Equal(email, root.GetProperty("subscriber").GetProperty("email").GetString());
        Assert.Equal("Berlin", root.GetProperty("subscriber").GetProperty("attributes").GetProperty("city").GetString());
        Assert.Equal("manual", root.GetProperty("suppression").GetString());
        Assert.Equal(list.Slug, root.GetProperty("lists")[0].GetProperty("list").GetString());
        var events = root.GetProperty("consent_events").EnumerateArray().ToList();
        Assert.Equal(["subscribed", "unsubscribed", "suppressed", "subscribe_refused"], events.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal("198.51.100.2", events[3].GetProperty("ip").GetString());
        Assert.Equal("192.0.2.7", events[0].GetProperty("ip").GetString());
        Assert.Equal("asked by phone", events[2].GetProperty("detail").GetProperty("detail").GetString());
        var delivery = root.GetProperty("deliveries")[0];
        Assert.Equal((sendId, email, "sent"),
            (delivery.GetProperty("send_id").GetInt64(), delivery.GetProperty("email").GetString(), delivery.GetProperty("status").GetString()));
        Assert.EndsWith("Z", root.GetProperty("subscriber").GetProperty("created_at").GetString());
    }

    [Fact]
    public async Task AnUnknownAddressHasNoProfile()
    {
        var unknown = await Assert.ThrowsAsync<UnknownSubscriberException>(() => Profiles.GetAsync("nobody-here@example.com"));
        Assert.Equal("nobody-here@example.com", unknown.Email);
        await Assert.ThrowsAsync<UnknownSubscriberException>(() => Profiles.ExportDataAsync("nobody-here@example.com", Stream.Null));
    }

    /// <summary>A sign-up from a form (with client address), attributes, one delivered send and an unsubscribe from another list.</summary>
    private async Task<(string Email, MailingList List, long SendId)> SubscriberWithADeliveryAsync()
    {
        var list = await app.CreateListAsync(doubleOptIn: false);
        var email = $"ada-{Guid.NewGuid():N}@example.com";
        var result = await app.Store.SubscribeAsync(list, email, "Ada", new ConsentContext("form", "192.0.2.7", "Test Browser"));
        var other = await app.CreateListAsync(doubleOptIn: false);
        await app.Store.SubscribeAsync(other, email, "", new ConsentContext("form"));
        await app.Store.UnsubscribeAsync(result.SubscriberId!.Value, other.Id, new ConsentContext("one-click"));
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        // The other list's subscription goes, its consent event stays: the trail shows both.
        await connection.ExecuteAsync("DELETE FROM subscriptions WHERE list_id = @other", new { other = other.Id });
        await connection.ExecuteAsync("DELETE FROM consent_events WHERE subscriber_id = @id AND list_id = @other AND action = 'subscribed'",
            new { id = result.SubscriberId, other = other.Id });
        await connection.ExecuteAsync("""UPDATE subscribers SET attributes = '{"city": "Berlin", "visits": 3}' WHERE id = @id""", new { id = result.SubscriberId });
        var issue = await connection.ExecuteScalarAsync<long>("INSERT INTO issues (slug, title, source) VALUES (@slug, 'An issue', '') RETURNING id",
            new { slug = "issue-" + list.Slug });
        var sendId = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO sends (issue_id, list_ids, status, scheduled_at, started_at) VALUES (@issue, ARRAY[@list], 'finished', now(), now()) RETURNING id",
            new { issue, list = list.Id });
        await connection.ExecuteAsync(
            "INSERT INTO deliveries (send_id, subscriber_id, list_id, email, name, status, attempts, sent_at) VALUES (@sendId, @id, @list, @email, 'Ada', 'sent', 1, now())",
            new { sendId, id = result.SubscriberId, list = list.Id, email });
        return (email, list, sendId);
    }
}
