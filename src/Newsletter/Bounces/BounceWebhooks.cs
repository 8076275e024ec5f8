using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;

namespace Newsletter.Bounces;

/// <summary>
/// <c>POST /webhooks/{provider}</c>: bounces and complaints reported by <c>ses</c> (via SNS), <c>postmark</c>,
/// <c>mailgun</c> and <c>generic</c>. A provider without its setting is 404; a bad signature or credentials 401,
/// nothing recorded; an authentic request 200, whatever it reported (providers retry anything else). The same
/// event twice counts once (<see cref="BounceStore.RecordAsync"/>).
/// </summary>
public static partial class BounceWebhooks
{
    private const long MaxBody = 256 * 1024;

    public static IEndpointRouteBuilder MapBounceWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/{provider}", ReceiveAsync).DisableAntiforgery().WithMetadata(new RequestSizeLimit(MaxBody));
        return app;
    }

    private static async Task<IResult> ReceiveAsync(string provider, HttpContext http, BounceRecorder recorder,
        IOptions<BouncesOptions> options, IHttpClientFactory clients, ILoggerFactory loggers, CancellationToken cancellationToken = default)
    {
        var hooks = options.Value.Webhooks;
        var name = provider.ToLowerInvariant();
        if (!Configured(name, hooks))
            return TypedResults.NotFound();
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, cancellationToken);
        var body = buffer.ToArray();
        var logger = loggers.CreateLogger(typeof(BounceWebhooks));

        WebhookReading reading;
        try
        {
            reading = name switch
            {
                "ses" => ReadSes(body, hooks.SnsCertificatePath!, hooks.SnsTopicArns),
                "postmark" => PostmarkWebhook.Read(body, http.Request.Headers.Authorization, hooks.PostmarkUser!, hooks.PostmarkPassword ?? ""),
                "mailgun" => MailgunWebhook.Read(body, hooks.MailgunSigningKey!),
                _ => GenericWebhook.Read(body, http.Request.Headers[GenericWebhook.SignatureHeader], hooks.GenericSecret!),
            };
        }
        catch (JsonException)
        {
            return TypedResults.BadRequest();
        }
        if (!reading.Authentic)
        {
            logger.LogWarning("Webhook {Provider}: a request failed its signature or credentials check; nothing recorded", name);
            return TypedResults.Unauthorized();
        }
        if (reading.ConfirmSubscription is { } url)
            return await ConfirmAsync(url, clients, logger, cancellationToken);
        foreach (var report in reading.Reports)
            await recorder.RecordAsync(report, name, matchByAddress: true, cancellationToken);
        return TypedResults.Ok();
    }

    private static bool Configured(string provider, BounceWebhooksOptions hooks) => provider switch
    {
        "ses" => hooks.SnsCertificatePath is not null,
        "postmark" => hooks.PostmarkUser is not null,
        "mailgun" => hooks.MailgunSigningKey is not null,
        "generic" => hooks.GenericSecret is not null,
        _ => false,
    };

    /// <summary>
    /// Visits an SNS SubscribeURL, only on Amazon's own SNS hosts over https: the URL comes from a request,
    /// and the server must not be made to fetch anything else.
    /// </summary>
    private static async Task<IResult> ConfirmAsync(Uri url, IHttpClientFactory clients, ILogger logger, CancellationToken cancellationToken = default)
    {
        if (url.Scheme != Uri.UriSchemeHttps || !url.IsDefaultPort || !SnsHost().IsMatch(url.Host))
        {
            logger.LogWarning("Webhook ses: subscription confirmation for {Host}, which is not Amazon SNS; not visited", url.Host);
            return TypedResults.BadRequest();
        }
        try
        {
            using var response = await clients.CreateClient(nameof(BounceWebhooks)).GetAsync(url, cancellationToken);
            response.EnsureSuccessStatusCode();
            logger.LogInformation("Webhook ses: SNS subscription confirmed");
            return TypedResults.Ok();
        }
        catch (HttpRequestException e)
        {
            logger.LogWarning("Webhook ses: confirming the SNS subscription failed ({Error}); visit {Url} to confirm it", e.Message, url);
            return TypedResults.StatusCode(StatusCodes.Status502BadGateway);
        }
    }

    private static WebhookReading ReadSes(byte[] body, string certificatePath, IReadOnlyCollection<string> topics)
    {
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(certificatePath));
        return SesWebhook.Read(body, certificate, topics);
    }

    /// <summary>sns.REGION.amazonaws.com (or .com.cn), and nothing under it: an S3 bucket can be named sns.anything.</summary>
    [GeneratedRegex(@"^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SnsHost();
}
