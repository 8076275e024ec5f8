using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Newsletter.Tests.Bounces;

/// <summary>Each provider's webhook request as the provider would make it, signed with the given key or credentials.</summary>
internal static class WebhookRequests
{
    /// <summary>An SNS notification carrying an SES event, signed (SignatureVersion 1: SHA1, 2: SHA256) with <paramref name="key"/>.</summary>
    public const string Topic = "arn:aws:sns:us-east-1:123456789012:ses-events";

    public static HttpRequestMessage Ses(RSA key, object sesEvent, int version = 2, Func<Dictionary<string, string>, Dictionary<string, string>>? tamper = null,
        string topic = Topic)
    {
        var fields = new Dictionary<string, string>
        {
            ["Type"] = "Notification",
            ["MessageId"] = Guid.NewGuid().ToString(),
            ["TopicArn"] = topic,
            ["Message"] = JsonSerializer.Serialize(sesEvent),
            ["Timestamp"] = "2026-12-04T10:00:00.000Z",
        };
        return Sns(key, fields, ["Message", "MessageId", "Timestamp", "TopicArn", "Type"], version, tamper);
    }

    public static HttpRequestMessage SnsConfirmation(RSA key, string subscribeUrl)
    {
        var fields = new Dictionary<string, string>
        {
            ["Type"] = "SubscriptionConfirmation",
            ["MessageId"] = Guid.NewGuid().ToString(),
            ["Token"] = "confirm-token",
            ["TopicArn"] = Topic,
            ["Message"] = "You have chosen to subscribe to the topic.",
            ["SubscribeURL"] = subscribeUrl,
            ["Timestamp"] = "2026-12-04T10:00:00.000Z",
        };
        return Sns(key, fields, ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"], 2, null);
    }

    public static object SesBounce(string email, string messageId) => new
    {
        notificationType = "Bounce",
        bounce = new { bounceType = "Permanent", bouncedRecipients = new[] { new { emailAddress = email, status = "5.1.1", diagnosticCode = "smtp; 550 5.1.1 unknown" } } },
        mail = new { messageId = "ses-internal-id", commonHeaders = new { messageId = $"<{messageId}>" } },
    };

    public static HttpRequestMessage Postmark(string user, string password, string email) =>
        new(HttpMethod.Post, "/webhooks/postmark")
        {
            Content = Json(new { RecordType = "Bounce", Type = "HardBounce", Email = email, Details = "smtp;550 5.1.1 The email account does not exist" }),
            Headers = { Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"))) },
        };

    public static HttpRequestMessage Mailgun(string key, string email, string messageId, DateTimeOffset? signedAt = null)
    {
        var timestamp = (signedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var token = Guid.NewGuid().ToString("N");
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(timestamp + token)));
        return new HttpRequestMessage(HttpMethod.Post, "/webhooks/mailgun")
        {
            Content = Json(new Dictionary<string, object>
            {
                ["signature"] = new { timestamp, token, signature },
                ["event-data"] = new Dictionary<string, object>
                {
                    ["event"] = "complained",
                    ["recipient"] = email,
                    ["message"] = new { headers = new Dictionary<string, string> { ["message-id"] = messageId } },
                },
            }),
        };
    }

    public static HttpRequestMessage Generic(string secret, string email, string type)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new { type, email, status = type == "soft" ? "4.2.2" : "5.1.1" });
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/generic") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Newsletter-Signature", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)));
        return request;
    }

    private static HttpRequestMessage Sns(RSA key, Dictionary<string, string> fields, string[] signed, int version,
        Func<Dictionary<string, string>, Dictionary<string, string>>? tamper)
    {
        var canonical = string.Concat(signed.Select(name => $"{name}\n{fields[name]}\n"));
        var signature = key.SignData(Encoding.UTF8.GetBytes(canonical), version == 1 ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1);
        fields["SignatureVersion"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        fields["Signature"] = Convert.ToBase64String(signature);
        fields["SigningCertURL"] = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-test.pem";
        var sent = tamper?.Invoke(fields) ?? fields;
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/ses") { Content = new StringContent(JsonSerializer.Serialize(sent)) };
        // SNS posts JSON as text/plain.
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        return request;
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
}
