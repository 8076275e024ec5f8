using System.Net;
using System.Text;
using Newsletter.Subscribers;
using Newsletter.Tests.Subscribers;

namespace Newsletter.Tests.BadInput;

/// <summary>
/// Hostile posts to the public pages (<c>BadInput/Forms</c>) against the running app: each gets its status
/// code and message, never a 500, and changes exactly what its manifest entry says: no subscriber and no
/// mail queued unless it was a sign-up after all.
/// </summary>
public sealed class FormPostCorpusTests(SubscribersTestApp app) : IClassFixture<SubscribersTestApp>
{
    private const string Folder = "Forms";

    public static TheoryData<string> Cases => BadInputCorpus.Names(Folder);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task HostilePostGetsItsAnswerAndChangesOnlyWhatItMay(string name)
    {
        var expected = BadInputCorpus.Expectation(Folder, name);
        var list = await app.CreateListAsync(doubleOptIn: true);
        var email = $"form-{Guid.NewGuid():N}@example.com";
        var (linkEmail, linkListId, path) = await LinkAsync(expected.Text("path") ?? "/subscribe");
        var subscribers = await app.ScalarAsync<long>("SELECT count(*) FROM subscribers");
        var mails = await QueuedMailsAsync();
        using var client = app.CreateClient();

        var body = Body(name, expected, email, list.Slug);
        using HttpContent content = expected.TryGetProperty("chunked", out _) ? new StreamContent(new NonSeekableStream(body)) : new ByteArrayContent(body);
        if (expected.Text("contentType") is { } contentType)
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        var response = await client.PostAsync(path, content);
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(expected.GetProperty("status").GetInt32(), (int)response.StatusCode);
        if (expected.Text("message") is { } message)
            Assert.Contains(message, page);
        var subscribed = expected.Text("subscribed");
        Assert.Equal(subscribers + (subscribed is null ? 0 : 1), await app.ScalarAsync<long>("SELECT count(*) FROM subscribers"));
        if (subscribed is not null)
            Assert.Equal(subscribed, await app.ScalarAsync<string>("SELECT name FROM subscribers WHERE email = $1", email));
        Assert.Equal(mails + (expected.TryGetProperty("mails", out var queued) ? queued.GetInt32() : 0), await QueuedMailsAsync());
        if (expected.Text("after") is { } after)
            Assert.Equal(after, await app.StatusAsync(linkEmail!, linkListId));
        if (expected.TryGetProperty("mailHeaderCheck", out _))
        {
            var mail = await app.MailToAsync(email, "Confirm");
            Assert.Null(mail.Headers["Bcc"]);
            Assert.DoesNotContain(mail.To.Mailboxes.Single().Name ?? "", c => c is '\r' or '\n');
            Assert.Equal(0, app.MailCount("victim@example.com"));
        }
    }

    /// <summary>A fresh subscriber behind the link the path names, if it names one.</summary>
    private async Task<(string? Email, long ListId, string Path)> LinkAsync(string path)
    {
        if (!path.Contains('{'))
            return (null, 0, path);
        var confirm = path.Contains("{confirm}");
        var list = await app.CreateListAsync(doubleOptIn: confirm);
        var email = $"link-{Guid.NewGuid():N}@example.com";
        var id = (await app.Store.SubscribeAsync(list, email, "Reader", new ConsentContext("test"))).SubscriberId!.Value;
        var link = confirm ? app.Links.ConfirmUrl(id, list.Id, DateTimeOffset.UtcNow.AddHours(1)) : app.Links.UnsubscribeUrl(id, list.Id);
        return (email, list.Id, new Uri(link).PathAndQuery);
    }

    private static byte[] Body(string name, System.Text.Json.JsonElement expected, string email, string list)
    {
        var bytes = expected.Text("bodyBase64") is { } base64 ? Convert.FromBase64String(base64)
            : expected.Text("body") is { } body ? Encoding.UTF8.GetBytes(body)
            : Generate(name);
        // Placeholders are ASCII, so they can be filled in bodies that are not UTF-8 without touching the rest.
        return Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(bytes).Replace("{email}", email).Replace("{list}", list));
    }

    private static byte[] Generate(string name) => Encoding.UTF8.GetBytes(name switch
    {
        // ASP.NET reads at most 1,024 form values and keys of 2,048 characters: both fit in the 8 KB body limit.
        "too-many-fields" or "unsubscribe-too-many-fields" => string.Concat(Enumerable.Repeat("a=&", 2000)) + "email={email}&list={list}",
        "field-name-too-long" => new string('k', 3000) + "=v&email={email}&list={list}",
        "huge-json" => $"{{\"email\": \"{{email}}\", \"list\": \"{{list}}\", \"name\": \"{new string('x', 100_000)}\"}}",
        "huge-chunked-form" or "unsubscribe-huge-chunked" or "confirm-huge-chunked" => $"email={{email}}&list={{list}}&name={new string('x', 100_000)}",
        _ => throw new ArgumentException($"No body and no generator for {name}"),
    });

    private Task<long> QueuedMailsAsync() => app.ScalarAsync<long>(
        "SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%SendConfirmationJob%' OR invocationdata::text LIKE '%SendWelcomeJob%'");

    /// <summary>Hides the length, so HttpClient sends the body chunked, as a client that streams would.</summary>
    private sealed class NonSeekableStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;
    }
}
