using MimeKit;

namespace Newsletter.Preflight;

/// <summary>
/// Gmail and Yahoo require of bulk senders a <c>List-Unsubscribe</c> header with an https URL and the RFC 8058
/// <c>List-Unsubscribe-Post: List-Unsubscribe=One-Click</c> beside it; without them mail lands in spam or is refused.
/// </summary>
public static class UnsubscribeHeadersCheck
{
    public const string Name = "unsubscribe headers";

    public static PreflightLine Check(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var target = message.Headers[HeaderId.ListUnsubscribe];
        var post = message.Headers["List-Unsubscribe-Post"];
        var missing = new[] { ("List-Unsubscribe", target), ("List-Unsubscribe-Post", post) }
            .Where(header => string.IsNullOrWhiteSpace(header.Item2)).Select(header => header.Item1).ToList();
        if (missing.Count > 0)
            return new PreflightLine(Name, PreflightVerdict.Fail,
                $"the message has no {string.Join(" and no ", missing)} header: readers cannot unsubscribe from the inbox, " +
                "and Gmail and Yahoo treat bulk mail without one-click unsubscribe as spam");
        if (post!.Trim() != "List-Unsubscribe=One-Click")
            return new PreflightLine(Name, PreflightVerdict.Fail, $"List-Unsubscribe-Post is \"{post.Trim()}\", not List-Unsubscribe=One-Click");
        var detail = $"List-Unsubscribe: {target!.Trim()}\nList-Unsubscribe-Post: {post.Trim()}";
        return target.Contains("<https://", StringComparison.OrdinalIgnoreCase)
            ? new PreflightLine(Name, PreflightVerdict.Pass, "List-Unsubscribe (https) and List-Unsubscribe-Post are on the message", detail)
            : new PreflightLine(Name, PreflightVerdict.Warn,
                "List-Unsubscribe and List-Unsubscribe-Post are on the message, but the link is not https, which one-click " +
                "unsubscribe requires: set an https Newsletter:PublicUrl", detail);
    }
}
