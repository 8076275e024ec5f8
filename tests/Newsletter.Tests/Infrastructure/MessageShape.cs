using System.Text.RegularExpressions;
using MimeKit;

namespace Newsletter.Tests.Infrastructure;

/// <summary>
/// A message as lines, header by header and part by part (decoded), with what belongs to its recipient
/// put back to placeholders: address, name, link tokens, Message-ID's local part, Date and the DKIM
/// values that hash those. Two messages of one issue to two people have the same shape.
/// </summary>
public static partial class MessageShape
{
    public static async Task<IReadOnlyList<string>> OfAsync(MimeMessage message, string email, string name)
    {
        // As on the wire: a message built in memory is written and read back like one received.
        using var wire = new MemoryStream();
        await message.WriteToAsync(wire);
        wire.Position = 0;
        using var read = await MimeMessage.LoadAsync(wire);
        var lines = new List<string>();
        foreach (var header in read.Headers)
            lines.Add($"{header.Field}: {HeaderValue(header, email, name)}");
        foreach (var entity in read.BodyParts)
        {
            foreach (var header in entity.Headers)
                lines.Add($"part {header.Field}: {HeaderValue(header, email, name)}");
            if (entity is TextPart text)
                lines.AddRange(Recipient(text.Text, email, name).Split('\n').Select(line => "  " + line.TrimEnd('\r')));
        }
        return lines;
    }

    private static string HeaderValue(Header header, string email, string name) => header.Id switch
    {
        HeaderId.Date => "{date}",
        HeaderId.MessageId => MessageIdLocalPart().Replace(header.Value, "<{id}@"),
        HeaderId.DkimSignature => DkimValues().Replace(Regex.Replace(header.Value, @"\s+", ""), "${tag}={value}"),
        HeaderId.ContentType => Boundary().Replace(header.Value, "boundary={boundary}"),
        _ => Recipient(header.Value, email, name),
    };

    private static string Recipient(string value, string email, string name)
    {
        value = Token().Replace(value, "token={token}").Replace(email, "{email}", StringComparison.OrdinalIgnoreCase);
        return Regex.Replace(value, $@"\b{Regex.Escape(name)}\b", "{name}");
    }

    [GeneratedRegex(@"token=[A-Za-z0-9_-]+")]
    private static partial Regex Token();

    [GeneratedRegex(@"^<[^@]+@")]
    private static partial Regex MessageIdLocalPart();

    [GeneratedRegex(@"(?<tag>\b(?:t|bh|b))=[^;]*")]
    private static partial Regex DkimValues();

    [GeneratedRegex(@"boundary=""?[^"";]+""?")]
    private static partial Regex Boundary();
}
