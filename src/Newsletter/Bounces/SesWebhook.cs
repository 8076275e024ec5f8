using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Newsletter.Bounces;

/// <summary>
/// Amazon SES bounce and complaint notifications delivered by Amazon SNS. The SNS message is verified against
/// the configured certificate: SignatureVersion 1 is SHA1withRSA, 2 is SHA256withRSA, over the canonical
/// string of the message's fields (name, newline, value, newline, in the order SNS documents). A verified
/// SubscriptionConfirmation asks for its SubscribeURL to be visited; a Notification carries the SES event. Only
/// the configured topics count: SNS signs every account's messages with the same certificate.
/// </summary>
internal static class SesWebhook
{
    private static readonly string[] NotificationFields = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"];
    private static readonly string[] ConfirmationFields = ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"];

    public static WebhookReading Read(byte[] body, X509Certificate2 certificate, IReadOnlyCollection<string> topics)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        var type = Text(root, "Type");
        var fields = type switch
        {
            "Notification" => NotificationFields,
            "SubscriptionConfirmation" or "UnsubscribeConfirmation" => ConfirmationFields,
            _ => null,
        };
        if (fields is null || !Verified(root, fields, certificate) || Text(root, "TopicArn") is not { } topic || !topics.Contains(topic))
            return WebhookReading.Forged;
        if (type == "SubscriptionConfirmation")
            return new WebhookReading(true, [], Uri.TryCreate(Text(root, "SubscribeURL"), UriKind.Absolute, out var url) ? url : null);
        if (type != "Notification" || Text(root, "Message") is not { } message)
            return new WebhookReading(true, []);
        using var ses = JsonDocument.Parse(message);
        return new WebhookReading(true, Reports(ses.RootElement));
    }

    private static bool Verified(JsonElement root, string[] fields, X509Certificate2 certificate)
    {
        var canonical = new StringBuilder();
        foreach (var field in fields)
        {
            // Subject is signed only when the message has one.
            if (Text(root, field) is { } value)
                canonical.Append(field).Append('\n').Append(value).Append('\n');
        }
        var algorithm = Text(root, "SignatureVersion") switch
        {
            "1" => HashAlgorithmName.SHA1,
            "2" => HashAlgorithmName.SHA256,
            _ => default(HashAlgorithmName?),
        };
        if (algorithm is null || Text(root, "Signature") is not { } signature)
            return false;
        var bytes = new byte[signature.Length];
        if (!Convert.TryFromBase64String(signature, bytes, out var written))
            return false;
        using var rsa = certificate.GetRSAPublicKey();
        return rsa is not null
               && rsa.VerifyData(Encoding.UTF8.GetBytes(canonical.ToString()), bytes.AsSpan(0, written), algorithm.Value, RSASignaturePadding.Pkcs1);
    }

    /// <summary>An SES event (notificationType, or eventType from a configuration set): one report per recipient named.</summary>
    private static List<BounceReport> Reports(JsonElement ses)
    {
        var messageId = ses.TryGetProperty("mail", out var mail) && mail.TryGetProperty("commonHeaders", out var headers)
            ? Text(headers, "messageId")?.Trim('<', '>')
            : null;
        switch (Text(ses, "notificationType") ?? Text(ses, "eventType"))
        {
            case "Bounce" when ses.TryGetProperty("bounce", out var bounce):
                var kind = Text(bounce, "bounceType") == "Permanent" ? BounceKind.Hard : BounceKind.Soft;
                return Recipients(bounce, "bouncedRecipients")
                    .Select(r => new BounceReport(kind, Text(r, "emailAddress"), BounceClassifier.StatusCodeIn(Text(r, "status")),
                        Text(r, "diagnosticCode"), OriginalMessageId: messageId))
                    .ToList();
            case "Complaint" when ses.TryGetProperty("complaint", out var complaint):
                return Recipients(complaint, "complainedRecipients")
                    .Select(r => new BounceReport(BounceKind.Complaint, Text(r, "emailAddress"), null,
                        Text(complaint, "complaintFeedbackType"), OriginalMessageId: messageId))
                    .ToList();
            default:
                return [];
        }
    }

    private static IEnumerable<JsonElement> Recipients(JsonElement e, string name) =>
        e.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray() : [];

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
