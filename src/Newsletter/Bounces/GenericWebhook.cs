using System.Text.Json;

namespace Newsletter.Bounces;

/// <summary>
/// The generic webhook, for any sender that can sign a POST: a JSON body
/// <c>{"type": "hard"|"soft"|"complaint", "email": "…", "status": "5.1.1", "messageId": "…", "diagnostic": "…"}</c>
/// (or an array of them), its HMAC-SHA256 under <c>Webhooks:GenericSecret</c> in hex in <c>X-Newsletter-Signature</c>
/// (optionally prefixed <c>sha256=</c>).
/// </summary>
internal static class GenericWebhook
{
    public const string SignatureHeader = "X-Newsletter-Signature";

    public static WebhookReading Read(byte[] body, string? signature, string secret)
    {
        var hex = signature?.StartsWith("sha256=", StringComparison.OrdinalIgnoreCase) == true ? signature[7..] : signature;
        if (!WebhookSignatures.HmacSha256Matches(secret, body, hex))
            return WebhookReading.Forged;
        using var json = JsonDocument.Parse(body);
        var events = json.RootElement.ValueKind == JsonValueKind.Array ? json.RootElement.EnumerateArray().ToList() : [json.RootElement];
        return new WebhookReading(true, events.Select(Report).ToList());
    }

    private static BounceReport Report(JsonElement e)
    {
        var kind = Text(e, "type")?.ToLowerInvariant() switch
        {
            "hard" => BounceKind.Hard,
            "soft" => BounceKind.Soft,
            "complaint" => BounceKind.Complaint,
            _ => BounceKind.Unreadable,
        };
        return new BounceReport(kind, Text(e, "email"), Text(e, "status"), Text(e, "diagnostic"),
            OriginalMessageId: Text(e, "messageId")?.Trim('<', '>'));
    }

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
