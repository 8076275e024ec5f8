using System.Net;
using System.Text;
using Newsletter.Tests.Security;

namespace Newsletter.Tests.BadInput;

/// <summary>
/// Every public endpoint of a real server that takes a body, sent the shapes a hostile or broken client sends: a body that
/// cannot be read gets a 4xx with a message a person can read, never a 500 and never an empty page. Bytes
/// that are not UTF-8 are read leniently (U+FFFD, see Forms/manifest.json), and a link's POST needs no
/// body: those must only never fail.
/// </summary>
public sealed class HostileRequestTests(ServedApp app) : IClassFixture<ServedApp>
{
    private const string Form = "application/x-www-form-urlencoded";

    public static TheoryData<string> Unreadable => new(
        "too-many-fields", "field-name-too-long", "huge-body", "huge-chunked-body", "multipart-without-boundary",
        "multipart-too-many-parts");

    /// <summary>Read leniently: a sign-up's fields still say what it wants, and a signed link is the whole request.</summary>
    public static TheoryData<string> BadlyEncoded => new("unknown-charset", "invalid-percent-encoding", "invalid-utf8", "content-type-garbage");

    [Theory]
    [MemberData(nameof(Unreadable))]
    public async Task UnreadableBodyGetsAClear4xxFromEveryPublicEndpoint(string shape) =>
        await PostEverywhereAsync(shape, status => status is >= 400 and < 500);

    [Theory]
    [MemberData(nameof(BadlyEncoded))]
    public async Task BadlyEncodedBodyNeverFailsAnyPublicEndpoint(string shape) =>
        await PostEverywhereAsync(shape, status => status < 500);

    private async Task PostEverywhereAsync(string shape, Func<int, bool> expected)
    {
        var (list, paths) = await PathsAsync();
        var failures = new List<string>();
        foreach (var path in paths)
        {
            using var client = app.CreateClient();
            using var response = await client.PostAsync(path, Content(shape, list));
            var page = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            if (!expected(status) || page.Trim().Length == 0)
                failures.Add($"{path.Split('?')[0]}: {status} with {page.Length} characters");
        }
        Assert.True(failures.Count == 0, $"{shape}: " + string.Join("; ", failures));
    }

    /// <summary>The public endpoints that read a body; links are signed for a fresh subscriber.</summary>
    private async Task<(string List, string[] Paths)> PathsAsync()
    {
        var list = await app.CreateListAsync(doubleOptIn: false);
        var email = $"hostile-{Guid.NewGuid():N}@example.com";
        var id = await app.Audience.SubscribeAsync(email, list.Id);
        return (list.Slug, ["/subscribe", new Uri(app.Links.UnsubscribeUrl(id, list.Id)).PathAndQuery, "/login"]);
    }

    /// <summary>Each body also carries a valid sign-up, so only its shape can make it fail.</summary>
    private static HttpContent Content(string shape, string list)
    {
        var signUp = $"email=hostile-{Guid.NewGuid():N}%40example.com&list={list}";
        return shape switch
        {
            // ASP.NET reads at most 1,024 form values and keys of 2,048 characters: both fit in the 8 KB body limit.
            "too-many-fields" => Text(string.Concat(Enumerable.Repeat("a=&", 2000)) + signUp, Form),
            "field-name-too-long" => Text(new string('k', 3000) + "=v&" + signUp, Form),
            "huge-body" => Text(signUp + "&name=" + new string('x', 2_000_000), Form),
            "huge-chunked-body" => Chunked(signUp + "&name=" + new string('x', 2_000_000), Form),
            "multipart-without-boundary" => Text("--x\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\nx\r\n--x--\r\n", "multipart/form-data"),
            "multipart-too-many-parts" => Text(string.Concat(Enumerable.Repeat(
                "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\r\n", 1500)) + "--b--\r\n", "multipart/form-data; boundary=b"),
            "content-type-garbage" => Text(signUp, "application/x-www-form-urlencoded; ;;=\"unterminated"),
            "unknown-charset" => Text(signUp, Form + "; charset=no-such-charset"),
            "invalid-percent-encoding" => Text(signUp + "&name=%zz%E0%A4%A&x=%", Form),
            "invalid-utf8" => Bytes([.. Encoding.UTF8.GetBytes(signUp), .. "&name="u8, 0xC3, 0x28, 0xFF], Form),
            _ => throw new ArgumentException($"No such shape: {shape}"),
        };
    }

    private static HttpContent Text(string body, string contentType) => Bytes(Encoding.UTF8.GetBytes(body), contentType);

    private static HttpContent Bytes(byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    /// <summary>No Content-Length: the server finds out how big it is only by reading.</summary>
    private static HttpContent Chunked(string body, string contentType)
    {
        var content = new StreamContent(new NonSeekableStream(Encoding.UTF8.GetBytes(body)));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    private sealed class NonSeekableStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;
    }
}
