using System.Text;
using System.Text.Json;

namespace Newsletter.Bounces;

/// <summary>
/// Mailgun's event webhook: <c>signature</c> holds a timestamp, a token and their HMAC-SHA256 (hex) under the
/// webhook signing key; <c>event-data</c> a <c>failed</c> (permanent or temporary) or <c>complained</c> event.
/// The signature does not cover the event, so a request signed more than <see cref="Freshness"/> from now is refused:
/// a signature seen once cannot be reused later with another reader's address.
/// </summary>
internal static class MailgunWebhook
{
    private static readonly TimeSpan Freshness = TimeSpan.FromMinutes(5);

    public static WebhookReading Read(byte[] body, string signingKey)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        if (!root.TryGetProperty("signature", out var signature) || signature.ValueKind != JsonValueKind.Object)
            return WebhookReading.Forged;
        var signed = $"{Text(signature, "timestamp")}{Text(signature, "token")}";
        if (!WebhookSignatures.HmacSha256Matches(signingKey, Encoding.UTF8.GetBytes(signed), Text(signature, "signature"))
            || !long.TryParse(Text(signature, "timestamp"), System.Globalization.NumberStyles.None, null, out var seconds)
            || (DateTimeOffset.UtcNow - DateTimeOffset.FromUnixTimeSeconds(Math.Min(seconds, 253402300799))).Duration() > Freshness)
            return WebhookReading.Forged;
        if (!root.TryGetProperty("event-data", out var data) || data.ValueKind != JsonValueKind.Object)
            return new WebhookReading(true, [BounceReport.Unreadable]);

        var kind = (Text(data, "event"), Text(data, "severity")) switch
        {
            ("failed", "permanent") => BounceKind.Hard,
            ("failed", _) => BounceKind.Soft,
            ("complained", _) => BounceKind.Complaint,
            _ => BounceKind.NoAction,
        };
        var status = data.TryGetProperty("delivery-status", out var delivery) && delivery.ValueKind == JsonValueKind.Object ? delivery : default;
        var messageId = data.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object
                        && message.TryGetProperty("headers", out var headers) && headers.ValueKind == JsonValueKind.Object
            ? Text(headers, "message-id")
            : null;
        return new WebhookReading(true, [new BounceReport(kind, Text(data, "recipient"),
            BounceClassifier.StatusCodeIn(Text(status, "enhanced-code") ?? Text(status, "description") ?? Text(status, "message")),
            Text(status, "description") ?? Text(status, "message"), OriginalMessageId: messageId?.Trim('<', '>'))]);
    }

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var value)
            ? value.ValueKind switch { JsonValueKind.String => value.GetString(), JsonValueKind.Number => value.GetRawText(), _ => null }
            : null;
}
