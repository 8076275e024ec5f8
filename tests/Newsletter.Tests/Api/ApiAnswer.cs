using System.Net.Http.Headers;
using System.Text.Json;

namespace Newsletter.Tests.Api;

/// <summary>A response of the API, already checked against the OpenAPI document.</summary>
public sealed record ApiAnswer(int Status, string? MediaType, string Body, HttpResponseHeaders Headers)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>The messages a validation problem gives for one field.</summary>
    public string[] Errors(string field) =>
        Json.GetProperty("errors").TryGetProperty(field, out var messages) ? messages.EnumerateArray().Select(m => m.GetString()!).ToArray() : [];
}
