using System.Net;
using System.Text;
using Newsletter.Subscribers;
using Newsletter.Tests.Infrastructure;
using Newsletter.Tests.Security;

namespace Newsletter.Tests.Subscribers;

/// <summary>
/// Issue 21, finding 1, against a real server: once someone leaves a list, no form post, housekeeping run
/// or import brings them back; only their own confirmation of a new sign-up does. "Unsubscribe from
/// everything" is for good.
/// </summary>
public sealed class OptOutStandsTests(ServedApp app) : IClassFixture<ServedApp>
{
    [Fact]
    public async Task AFormPostThenHousekeepingThenAConfirmedImportLeaveTheOptOutStanding()
    {
        var (list, email) = await OptedOutAsync();
        using var client = app.CreateClient();

        var posted = await SignUpAsync(client, email, list.Slug);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Equal("unsubscribed", await app.StatusAsync(email, list.Id));

        // The pending request grows old, as an abandoned one would; housekeeping must not take the row with it.
        await app.Audience.ExecuteAsync("UPDATE subscriptions SET updated_at = now() - interval '400 days', " +
            "signup_requested_at = now() - interval '400 days' WHERE list_id = @Id", new { list.Id });
        var purges = await app.JobCountAsync(nameof(PurgeUnconfirmedJob));
        Assert.Equal(HttpStatusCode.Redirect, (await TestApp.LogInAsync(client, TestApp.AdminUser, TestApp.AdminPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await app.TriggerFromDashboardAsync(client, PurgeUnconfirmedJob.RecurringJobId)).StatusCode);
        Assert.Equal(purges + 1, await app.JobCountAsync(nameof(PurgeUnconfirmedJob)));
        await app.JobsDoneAsync(nameof(PurgeUnconfirmedJob));
        Assert.Equal("unsubscribed", await app.StatusAsync(email, list.Id));

        var csv = Path.GetTempFileName();
        await File.WriteAllTextAsync(csv, $"email\n{email}\n");
        var imported = await app.RunCliAsync("subscribers", "import", csv, "--list", list.Slug, "--confirmed");
        File.Delete(csv);
        Assert.Contains("suppressed 1", imported);
        Assert.Equal("unsubscribed", await app.StatusAsync(email, list.Id));
    }

    [Fact]
    public async Task OnlyConfirmingANewSignUpFromTheMailEndsAnOptOut()
    {
        var (list, email) = await OptedOutAsync();
        var subscriberId = await app.Audience.ScalarAsync<long>("SELECT id FROM subscribers WHERE lower(email) = lower(@email)", new { email });
        using var client = app.CreateClient();
        // A link mailed before the opt-out (its expiry says when it was made) must not undo it.
        var hours = new Newsletter.Configuration.SubscribersOptions().ConfirmationLinkHours;
        var oldLink = new Uri(app.Links.ConfirmUrl(subscriberId, list.Id, DateTimeOffset.UtcNow.AddHours(hours - 1))).PathAndQuery;

        await SignUpAsync(client, email, list.Slug);
        var mail = await app.Smtp.MailToAsync(email, "Confirm");
        Assert.NotNull(mail);
        var link = SubscribersTestApp.LinkIn(mail, "/subscribe/confirm");
        var old = await client.PostAsync(oldLink, null);
        Assert.Equal(HttpStatusCode.BadRequest, old.StatusCode);
        Assert.Equal("unsubscribed", await app.StatusAsync(email, list.Id));

        Assert.Contains("Yes, subscribe me", await client.GetStringAsync(link));
        Assert.Equal("unsubscribed", await app.StatusAsync(email, list.Id));
        var confirmed = await client.PostAsync(link, null);

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal("confirmed", await app.StatusAsync(email, list.Id));
    }

    [Fact]
    public async Task UnsubscribingFromEverythingIsNeverLiftedByAFormOrAConfirmationLink()
    {
        var list = await app.CreateListAsync(doubleOptIn: true);
        var email = $"everything-{Guid.NewGuid():N}@example.com";
        var subscriberId = await app.Audience.SubscribeAsync(email, list.Id, status: "unconfirmed");
        // A confirmation link still unused when the person asked never to hear from us again.
        var pendingLink = new Uri(app.Links.ConfirmUrl(subscriberId, list.Id, DateTimeOffset.UtcNow.AddHours(1))).PathAndQuery;
        using var client = app.CreateClient();
        await client.PostAsync(new Uri(app.Links.UnsubscribeUrl(subscriberId, list.Id)).PathAndQuery,
            new FormUrlEncodedContent(new Dictionary<string, string> { ["scope"] = "all" }));

        await SignUpAsync(client, email, list.Slug);
        var confirm = await client.PostAsync(pendingLink, null);
        await app.JobsDoneAsync(nameof(SendConfirmationJob));

        Assert.Equal(HttpStatusCode.BadRequest, confirm.StatusCode);
        Assert.Equal("unsubscribed", await app.StatusAsync(email, list.Id));
        Assert.Equal("unsubscribed_all", await app.Audience.ScalarAsync<string>(
            "SELECT reason FROM suppressions WHERE email_lower = lower(@email)", new { email }));
        Assert.Equal(0, app.Smtp.MailCount(email));
    }

    /// <summary>A confirmed reader of a fresh list who then left it with the one-click link.</summary>
    private async Task<((long Id, string Slug) List, string Email)> OptedOutAsync()
    {
        // Single opt-in: confirmed at once, and still only a confirmed new sign-up may bring them back.
        var list = await app.CreateListAsync(doubleOptIn: false);
        var email = $"left-{Guid.NewGuid():N}@example.com";
        var subscriberId = await app.Audience.SubscribeAsync(email, list.Id);
        using var client = app.CreateClient();
        var left = await client.PostAsync(new Uri(app.Links.OneClickUnsubscribeUrl(subscriberId, list.Id)).PathAndQuery,
            new StringContent("List-Unsubscribe=One-Click", Encoding.ASCII, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.OK, left.StatusCode);
        Assert.Equal("unsubscribed", await app.StatusAsync(email, list.Id));
        return (list, email);
    }

    private static Task<HttpResponseMessage> SignUpAsync(HttpClient client, string email, string list) =>
        client.PostAsync("/subscribe", new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = email, ["list"] = list }));
}
