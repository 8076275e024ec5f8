using System.Text;
using System.Text.Json;

namespace Newsletter.Bounces;

/// <summary>
/// Postmark's bounce and spam-complaint webhooks, authenticated by the basic-auth credentials set in the
/// webhook's URL (Postmark signs nothing). <c>RecordType</c> Bounce with a <c>Type</c>, or SpamComplaint.
/// </summary>
internal static class PostmarkWebhook
{
    public static WebhookReading Read(byte[] body, string? authorization, string user, string password)
    {
        if (!WebhookSignatures.TextEquals($"Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"))}", authorization))
            return WebhookReading.Forged;
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        var kind = (Text(root, "RecordType"), Text(root, "Type")) switch
        {
            ("SpamComplaint", _) => BounceKind.Complaint,
            ("Bounce", "HardBounce" or "BadEmailAddress") => BounceKind.Hard,
            ("Bounce", "SoftBounce" or "Transient" or "DnsError") => BounceKind.Soft,
            _ => BounceKind.NoAction,
        };
        var details = Text(root, "Details") ?? Text(root, "Description");
        return new WebhookReading(true, [new BounceReport(kind, Text(root, "Email"), BounceClassifier.StatusCodeIn(details), details)]);
    }

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
