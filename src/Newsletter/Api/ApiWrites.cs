using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Newsletter.Api;

/// <summary>
/// Every write of the API: logged with the key's name, and, given an <c>Idempotency-Key</c>, done once per key. The
/// same key with the same request replays the stored response; with another body it is a 422; while the first
/// request is still running, a 409. A server error is not stored, so a retry runs the request again.
/// </summary>
public static class ApiWrites
{
    public const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>Longer keys are refused: a UUID or a CI run's id is what a client sends.</summary>
    public const int MaxIdempotencyKeyLength = 200;

    public static async ValueTask<object?> RunOnceAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        var log = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiWrites));
        var key = http.Request.Headers[IdempotencyHeader].ToString();
        if (key.Length == 0)
        {
            var result = await next(invocation);
            Log(log, http, "");
            return result;
        }
        if (key.Length > MaxIdempotencyKeyLength)
            return ApiProblems.Invalid(IdempotencyHeader, $"An {IdempotencyHeader} is at most {MaxIdempotencyKeyLength} characters.");

        var keyId = long.Parse(http.User.FindFirst(ApiKeyAuthentication.KeyIdClaim)!.Value, System.Globalization.CultureInfo.InvariantCulture);
        var store = http.RequestServices.GetRequiredService<IdempotencyStore>();
        var cancellationToken = http.RequestAborted;
        var claim = await store.ClaimAsync(keyId, key, await RequestHashAsync(http.Request, cancellationToken), cancellationToken);
        switch (claim.State)
        {
            case IdempotencyClaim.Stored:
                http.Response.Headers["Idempotent-Replayed"] = "true";
                Log(log, http, " (replayed)");
                return new Answer(claim.StatusCode ?? StatusCodes.Status200OK, claim.ContentType, claim.Body ?? []);
            case IdempotencyClaim.Mismatch:
                return ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused",
                    $"This {IdempotencyHeader} came with another request in the last 24 hours; use a new key for a new request.");
            case IdempotencyClaim.InFlight:
                return ApiProblems.Problem(StatusCodes.Status409Conflict, "Request in progress",
                    $"A request with this {IdempotencyHeader} is still running; retry once it has answered.");
        }

        try
        {
            var answer = await next(invocation);
            var (status, contentType, body) = await RenderAsync(http, answer);
            if (status >= 500)
                await store.ReleaseAsync(keyId, key, CancellationToken.None);
            else
                await store.StoreResponseAsync(keyId, key, status, contentType, body, CancellationToken.None);
            Log(log, http, "");
            return new Answer(status, contentType, body);
        }
        catch
        {
            await store.ReleaseAsync(keyId, key, CancellationToken.None);
            throw;
        }
    }

    private static void Log(ILogger log, HttpContext http, string note) =>
        log.LogInformation("API {Method} {Path} by key {ApiKey}{Note}", http.Request.Method, http.Request.Path.Value, http.User.Identity?.Name, note);

    // The method, path, query and body: a retry of the same request hashes the same, another request does not.
    private static async Task<byte[]> RequestHashAsync(HttpRequest request, CancellationToken cancellationToken = default)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        if (request.Body.CanSeek)
        {
            request.Body.Position = 0;
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
                hash.AppendData(buffer, 0, read);
            request.Body.Position = 0;
        }
        return hash.GetHashAndReset();
    }

    // The handler's answer written to memory once, so that what is stored is byte for byte what the client gets.
    private static async Task<(int Status, string? ContentType, byte[] Body)> RenderAsync(HttpContext http, object? answer)
    {
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            var result = answer as IResult ?? Results.Json(answer);
            await result.ExecuteAsync(http);
        }
        finally
        {
            http.Response.Body = original;
        }
        return (http.Response.StatusCode, http.Response.ContentType, buffer.ToArray());
    }

    /// <summary>A response as stored: written again byte for byte.</summary>
    private sealed class Answer(int status, string? contentType, byte[] body) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = contentType;
            httpContext.Response.ContentLength = body.Length;
            await httpContext.Response.Body.WriteAsync(body, httpContext.RequestAborted);
        }
    }
}
