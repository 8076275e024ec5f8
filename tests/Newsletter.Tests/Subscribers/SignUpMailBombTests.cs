using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Subscribers;

namespace Newsletter.Tests.Subscribers;

/// <summary>
/// Issue 21, finding 2: the sign-up form cannot mail-bomb an address, cannot put the poster's words in a
/// mail we sign, and cannot change a subscriber we already have.
/// </summary>
public sealed class SignUpMailBombTests(SubscribersTestApp app) : IClassFixture<SubscribersTestApp>
{
    private const string AttackerWords = "Your account is locked, call +1 555 0100";

    [Fact]
    public async Task AParallelBurstOfSignUpsAcrossListsMailsTheAddressOnce()
    {
        var lists = new List<MailingList>();
        for (var i = 0; i < 4; i++)
            lists.Add(await app.CreateListAsync(doubleOptIn: true));
        var victim = $"victim-{Guid.NewGuid():N}@example.com";

        var posts = Enumerable.Range(0, 24).Select(async i =>
        {
            using var client = app.CreateClient();
            return await SignUpAsync(client, victim, lists[i % lists.Count].Slug, AttackerWords);
        });
        var answers = await Task.WhenAll(posts);
        await ConfirmationJobsDoneAsync();

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.StatusCode));
        Assert.Equal(1, app.MailCount(victim));
        var mail = await app.MailToAsync(victim, "Confirm");
        Assert.True(string.IsNullOrEmpty(mail.To.Mailboxes.Single().Name), $"To: {mail.To}");
        Assert.DoesNotContain("locked", mail.HtmlBody + mail.TextBody + mail.Headers.ToString());
    }

    [Fact]
    public async Task AnAnonymousPostChangesNoStoredSubscriber()
    {
        var imported = await app.CreateListAsync(doubleOptIn: true);
        var other = await app.CreateListAsync(doubleOptIn: true);
        var email = $"known-{Guid.NewGuid():N}@example.com";
        // Imported unconfirmed and nameless: housekeeping leaves imports alone, the author confirms them later.
        await app.Services.GetRequiredService<SubscriberImporter>().ImportAsync(
            new MemoryStream(Encoding.UTF8.GetBytes($"email\n{email}\n")), imported.Slug, confirmed: false, _ => { });
        var before = await RowAsync(email, imported.Id);
        using var client = app.CreateClient();

        await SignUpAsync(client, email, imported.Slug, AttackerWords);
        await SignUpAsync(client, email, other.Slug, AttackerWords);

        Assert.Equal("", await app.ScalarAsync<string>("SELECT name FROM subscribers WHERE lower(email) = lower($1)", email));
        Assert.Equal(before, await RowAsync(email, imported.Id));
    }

    /// <summary>What a form post could change on a subscription: status, source and age.</summary>
    private Task<string?> RowAsync(string email, long listId) => app.ScalarAsync<string>(
        "SELECT sub.status || ' ' || sub.source || ' ' || sub.updated_at::text FROM subscriptions sub " +
        "JOIN subscribers s ON s.id = sub.subscriber_id WHERE lower(s.email) = lower($1) AND sub.list_id = $2", email, listId);

    /// <summary>Waits until every confirmation job has run, so a count of mails is final.</summary>
    private async Task ConfirmationJobsDoneAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await app.ScalarAsync<long>("SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%SendConfirmationJob%' " +
                                           "AND coalesce(statename, '') NOT IN ('Succeeded', 'Failed', 'Deleted')") > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "Confirmation jobs still running after 60 s.");
            await Task.Delay(100);
        }
        // The relay has the mail once the job succeeded; give its hand-over a moment to land.
        await Task.Delay(300);
    }

    private static Task<HttpResponseMessage> SignUpAsync(HttpClient client, string email, string list, string name) =>
        client.PostAsync("/subscribe", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email,
            ["list"] = list,
            ["name"] = name,
        }));
}
