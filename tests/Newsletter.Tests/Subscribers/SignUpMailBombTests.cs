using System.Net;
using Newsletter.Subscribers;
using Newsletter.Tests.Security;

namespace Newsletter.Tests.Subscribers;

/// <summary>
/// Issue 21, finding 2, against a real server: the sign-up form cannot mail-bomb an address, cannot put the
/// poster's words in a mail we sign, and cannot change a subscriber we already have.
/// </summary>
public sealed class SignUpMailBombTests(ServedApp app) : IClassFixture<ServedApp>
{
    private const string AttackerWords = "Your account is locked, call +1 555 0100";

    [Fact]
    public async Task AParallelBurstOfSignUpsAcrossListsFromManyClientsMailsTheAddressOnce()
    {
        var lists = new List<string>();
        for (var i = 0; i < 4; i++)
            lists.Add((await app.CreateListAsync(doubleOptIn: true)).Slug);
        var victim = $"victim-{Guid.NewGuid():N}@example.com";

        // 24 posts from 8 client addresses, so neither a per-client limit nor one connection serialises them.
        var posts = Enumerable.Range(0, 24).Select(async i =>
        {
            using var client = app.Server.ClientFrom($"127.0.0.{2 + i % 8}");
            return await SignUpAsync(client, victim, lists[i % lists.Count], AttackerWords);
        });
        var answers = await Task.WhenAll(posts);
        await app.JobsDoneAsync(nameof(SendConfirmationJob));
        // The relay has the mail once the job succeeded; give its hand-over a moment to land.
        await Task.Delay(300);

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.StatusCode));
        Assert.Equal(1, app.Smtp.MailCount(victim));
        var mail = await app.Smtp.MailToAsync(victim, "Confirm");
        Assert.NotNull(mail);
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
        var csv = Path.GetTempFileName();
        await File.WriteAllTextAsync(csv, $"email\n{email}\n");
        await app.RunCliAsync("subscribers", "import", csv, "--list", imported.Slug);
        File.Delete(csv);
        var before = await RowAsync(email, imported.Id);
        using var client = app.CreateClient();

        await SignUpAsync(client, email, imported.Slug, AttackerWords);
        await SignUpAsync(client, email, other.Slug, AttackerWords);

        Assert.Equal("", await app.Audience.ScalarAsync<string>("SELECT name FROM subscribers WHERE lower(email) = lower(@email)", new { email }));
        Assert.Equal(before, await RowAsync(email, imported.Id));
    }

    /// <summary>What a form post could change on a subscription: status, source and age.</summary>
    private Task<string> RowAsync(string email, long listId) => app.Audience.ScalarAsync<string>(
        "SELECT sub.status || ' ' || sub.source || ' ' || sub.updated_at::text FROM subscriptions sub " +
        "JOIN subscribers s ON s.id = sub.subscriber_id WHERE lower(s.email) = lower(@email) AND sub.list_id = @listId", new { email, listId });

    private static Task<HttpResponseMessage> SignUpAsync(HttpClient client, string email, string list, string name) =>
        client.PostAsync("/subscribe", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email,
            ["list"] = list,
            ["name"] = name,
        }));
}
