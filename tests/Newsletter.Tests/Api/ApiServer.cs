using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Newsletter.Tests.Security;

namespace Newsletter.Tests.Api;

/// <summary>
/// A real <c>serve</c> process (<see cref="ServedApp"/>) with two keys made by the CLI, one read-write and one read-only,
/// and the OpenAPI document it serves, against which every response a test gets is checked.
/// </summary>
public partial class ApiServer : IAsyncLifetime
{
    public ApiServer()
    {
        App = new ServedApp { ExtraSettings = ExtraSettings };
    }

    public ServedApp App { get; }

    /// <summary>What a fixture for a special case sets beyond the usual test server.</summary>
    protected virtual IReadOnlyDictionary<string, string> ExtraSettings => new Dictionary<string, string>();

    public string WriterKey { get; private set; } = "";

    public string ReaderKey { get; private set; } = "";

    public OpenApiContract Contract { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        WriterKey = KeyIn(await App.RunCliAsync("api-keys", "create", "ci"));
        ReaderKey = KeyIn(await App.RunCliAsync("api-keys", "create", "dashboard", "--read-only"));
        using var client = App.CreateClient();
        Contract = await OpenApiContract.LoadAsync(client);
    }

    public Task DisposeAsync() => App.DisposeAsync();

    /// <summary>A client presenting <paramref name="key"/> (none when null).</summary>
    public HttpClient Client(string? key)
    {
        var client = App.CreateClient();
        if (key is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>Sends a request, checks the answer against the OpenAPI document, and returns it with its body.</summary>
    public async Task<ApiAnswer> SendAsync(HttpClient client, HttpMethod method, string path, object? json = null,
        IReadOnlyDictionary<string, string>? headers = null, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Content = content ?? (json is null ? null : new StringContent(JsonSerializer.Serialize(json), Encoding.UTF8, "application/json"));
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            request.Headers.Add(name, value);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        Contract.Check(method, path.Split('?')[0], (int)response.StatusCode, mediaType, body);
        return new ApiAnswer((int)response.StatusCode, mediaType, body, response.Headers);
    }

    public Task<ApiAnswer> GetAsync(string? key, string path) => CallAsync(key, HttpMethod.Get, path);

    public async Task<ApiAnswer> CallAsync(string? key, HttpMethod method, string path, object? json = null,
        IReadOnlyDictionary<string, string>? headers = null, HttpContent? content = null)
    {
        using var client = Client(key);
        return await SendAsync(client, method, path, json, headers, content);
    }

    internal static string KeyIn(string output) =>
        Key().Match(output) is { Success: true } match ? match.Value : throw new InvalidOperationException($"No key in: {output}");

    [GeneratedRegex("nl_[0-9a-f]{12}_[A-Za-z0-9_-]{43}")]
    private static partial Regex Key();
}
