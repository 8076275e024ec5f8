using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Newsletter.Tests.Api;

/// <summary>
/// The served <c>/openapi/v1.json</c> as a contract: every response a test receives must have its status declared
/// for its operation, and its body must validate (JsonSchema.Net) against the schema declared for it.
/// </summary>
public sealed class OpenApiContract
{
    // Unique per document: the registry behind BuildOptions is shared, and refuses a second document at one address.
    private readonly Uri _documentUri = new($"https://newsletter.test/{Guid.NewGuid():N}/openapi/v1.json");

    private readonly JsonElement _document;
    private readonly BuildOptions _build;
    private readonly List<(Regex Pattern, string Template, int Literal)> _paths;

    private OpenApiContract(JsonElement document)
    {
        _document = document;
        _build = new BuildOptions();
        _build.SchemaRegistry.Register(new JsonElementBaseDocument(document, _documentUri));
        _paths = document.GetProperty("paths").EnumerateObject()
            .Select(p => (new Regex("^" + Regex.Replace(Regex.Escape(p.Name), @"\\\{[^}]+}", "[^/]+") + "$"), p.Name,
                Regex.Replace(p.Name, @"\{[^}]+}", "").Length))
            .ToList();
    }

    public JsonElement Document => _document;

    public static async Task<OpenApiContract> LoadAsync(HttpClient client)
    {
        var text = await client.GetStringAsync("/openapi/v1.json");
        return new OpenApiContract(JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Every operation: method and path template.</summary>
    public IEnumerable<(string Method, string Template)> Operations() =>
        _document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete")
                .Select(o => (o.Name.ToUpperInvariant(), p.Name)));

    /// <summary>Fails the test unless the response is one the document declares, its body valid against the schema.</summary>
    public void Check(HttpMethod method, string path, int status, string? mediaType, string body)
    {
        var template = _paths.Where(p => p.Pattern.IsMatch(path)).OrderByDescending(p => p.Literal).Select(p => p.Template).FirstOrDefault();
        Assert.True(template is not null, $"{method} {path}: no such path in the OpenAPI document");
        var operation = _document.GetProperty("paths").GetProperty(template!).GetProperty(method.Method.ToLowerInvariant());
        Assert.True(operation.GetProperty("responses").TryGetProperty(status.ToString(), out var response),
            $"{method} {template}: status {status} is not declared; body: {body}");
        if (!response.TryGetProperty("content", out var content) || body.Length == 0)
        {
            Assert.True(body.Length == 0 || mediaType == "text/plain", $"{method} {template} {status}: a body where none is declared: {body}");
            return;
        }
        Assert.True(mediaType is not null && content.TryGetProperty(mediaType, out _),
            $"{method} {template} {status}: media type {mediaType} is not declared");
        if (!mediaType!.Contains("json", StringComparison.Ordinal))
            return;
        var pointer = $"/paths/{Escape(template!)}/{method.Method.ToLowerInvariant()}/responses/{status}/content/{Escape(mediaType)}/schema";
        var schema = JsonSchema.FromText($$"""{"$ref": "{{_documentUri}}#{{pointer}}"}""", _build);
        var result = schema.Evaluate(JsonDocument.Parse(body).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, $"{method} {template} {status}: the body does not match its schema.\n{body}\n" +
                                    JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
    }

    // A JSON pointer token inside a URI fragment: ~ and / escaped, then the braces of path templates percent-encoded.
    private static string Escape(string token) => Uri.EscapeDataString(token.Replace("~", "~0").Replace("/", "~1"));
}
