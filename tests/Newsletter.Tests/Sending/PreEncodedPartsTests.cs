using System.Buffers;
using System.Text;
using MimeKit;
using Newsletter.Mail;
using Newsletter.Rendering;
using Newsletter.Sending;
using Newsletter.Tests.Rendering;

namespace Newsletter.Tests.Sending;

/// <summary>
/// The send path's parts are quoted-printable spliced from pieces encoded apart (template text once per
/// send, values per recipient). Whatever the input, a message must decode to exactly the personalised
/// strings (the slow reference path), keep MIME's line limits with CRLF lines, and be sent as encoded.
/// </summary>
[Collection(RenderingCollection.Name)]
public sealed class PreEncodedPartsTests(RenderingFixture fixture)
{
    private static readonly string LongLine = string.Concat(Enumerable.Repeat("Zoë's café = naïve ✓ 100% ", 12));

    public static TheoryData<string, string> TrickyTemplates => new()
    {
        // A token at the very start and the very end, non-ASCII and "=" around tokens.
        { "{{name}}<p>Grüße = ½ {{email}}=</p>{{web_url}}", "{{name}}, 3=4 ✓ {{email}}={{web_url}}" },
        // Lines longer than 76 characters, with tokens in the middle of them and right after.
        { $"<p>{LongLine}{{{{name}}}}{LongLine}</p>\n{LongLine}{{{{unsubscribe_url}}}}\n", $"{LongLine}{{{{name}}}}{LongLine}\n{{{{unsubscribe_url}}}}{LongLine}" },
        // Trailing spaces and tabs before a token and before a line break; lines of only a token.
        { "Hi   {{name}}  \n{{email}}\n{{preferences_url}}\n\t{{web_url}}\t", "Hi \t {{name|friend}}   \n{{email}}\n\n{{unsubscribe_url}}\n" },
        // Nothing but tokens, back to back.
        { "{{name}}{{email}}{{web_url}}", "{{email}}{{name}}" },
    };

    // Names and {{email}} values tried with every template.
    private static readonly (string? Name, string Email)[] TrickyValues =
    [
        ("Zoë \"Q\" = <b>", "a=b@example.com"),
        (null, "line1\r\nline2=\r\n"),
        ("  Ann\r\nBcc: x@example.com ", "ends with a space "),
        (new string('é', 120), new string('=', 100)),
    ];

    [Fact]
    public async Task SampleIssueDecodesToThePersonalisedStringsAndIsWrittenAsEncoded()
    {
        var personalizer = new Personalizer(fixture.Rendered);
        var message = Build(personalizer, RenderingFixture.Sam);

        var raw = await AssertWellFormedAsync(message, personalizer.Personalize(RenderingFixture.Sam));

        // MimeKit copied the pre-encoded bodies out as they are rather than encoding them again.
        var html = new ArrayBufferWriter<byte>();
        personalizer.WriteHtml(RenderingFixture.Sam, html);
        var encoded = Encoding.ASCII.GetString(html.WrittenSpan);
        Assert.Contains(encoded, raw, StringComparison.Ordinal);
        Assert.All(encoded.Split("\r\n"), line => Assert.True(line.Length <= 76, line));
    }

    [Fact]
    public async Task DisposedMessageGivesItsBuffersBackAndTheNextMessageCarriesOnlyItsOwnValues()
    {
        var personalizer = new Personalizer(fixture.Rendered);
        var first = Build(personalizer, RenderingFixture.Sam);
        var parts = first.BodyParts.OfType<PreEncodedPart>().ToList();

        first.Dispose();
        var other = RenderingFixture.Sam with { Name = "Ola", Email = "ola@example.org" };
        using var second = Build(personalizer, other);

        Assert.Equal(2, parts.Count);
        Assert.All(parts, part => Assert.True(part.Content.IsEmpty));
        var raw = await AssertWellFormedAsync(second, personalizer.Personalize(other));
        Assert.DoesNotContain(RenderingFixture.Sam.Email, raw, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TrickyTemplates))]
    public async Task TrickyTemplatesAndValuesDecodeToThePersonalisedStrings(string html, string text)
    {
        // No token in the subject: MimeKit writes a 120-character name as one unfolded encoded word, a header
        // matter apart from the parts tested here.
        var personalizer = new Personalizer(new RenderedMail("Tricky weekly", html, text, ""));
        foreach (var (name, email) in TrickyValues)
        {
            // The unsubscribe URL also goes into a header, where an unbreakable long value would break the line limit.
            var values = new MergeValues(email, name, "https://news.example.com/u?a=1&b==2",
                "line one\nline two", "https://news.example.com/archive/" + new string('w', 90) + "?a=1&b==2");
            await AssertWellFormedAsync(Build(personalizer, values), personalizer.Personalize(values));
        }
    }

    [Fact]
    public async Task PrepareBeforeDkimLeavesThePreEncodedPartsAlone()
    {
        var message = Build(new Personalizer(fixture.Rendered), RenderingFixture.Sam);
        var before = await WriteAsync(message, NewLineFormat.Dos);

        message.Prepare(EncodingConstraint.SevenBit);

        Assert.Equal(before, await WriteAsync(message, NewLineFormat.Dos));
        Assert.Equal(2, message.BodyParts.Count());
        Assert.All(message.BodyParts, part => Assert.Equal("quoted-printable", part.Headers[HeaderId.ContentTransferEncoding]));
    }

    [Theory]
    [InlineData(NewLineFormat.Dos)]
    [InlineData(NewLineFormat.Unix)]
    public async Task PartsAreWrittenByteForByteAsMimeKitsOwnPartWithTheSameContent(NewLineFormat format)
    {
        var message = Build(new Personalizer(fixture.Rendered), RenderingFixture.Sam);
        var reference = Build(new Personalizer(fixture.Rendered), RenderingFixture.Sam);
        var alternative = (Multipart)reference.Body!;
        alternative.Boundary = ((Multipart)message.Body!).Boundary!;
        for (var i = 0; i < alternative.Count; i++)
        {
            var part = (PreEncodedPart)alternative[i];
            alternative[i] = new TextPart(part.ContentType.MediaSubtype)
            {
                ContentTransferEncoding = ContentEncoding.QuotedPrintable,
                Content = new MimeContent(new MemoryStream(part.Content.ToArray()), ContentEncoding.QuotedPrintable),
            };
            alternative[i].ContentType.Charset = "utf-8";
        }

        Assert.Equal(await WriteAsync(reference, format), await WriteAsync(message, format));
    }

    private static MimeMessage Build(Personalizer personalizer, MergeValues values) =>
        new IssueMessageBuilder(RenderingFixture.Options).Build(
            // The To header wants a real address; the tricky email values only fill tokens.
            personalizer, values, new MessageRecipient("reader@example.com", null, values.UnsubscribeUrl), "pre@news.example.com",
            new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.Zero));

    /// <summary>Checks the message as sent (CRLF) and as stored (LF); returns it as sent.</summary>
    private static async Task<string> AssertWellFormedAsync(MimeMessage message, PersonalizedMail expected)
    {
        var sent = await WriteAsync(message, NewLineFormat.Dos);
        Assert.EndsWith("\r\n", sent, StringComparison.Ordinal);
        foreach (var line in sent[..^2].Split("\r\n"))
        {
            Assert.DoesNotContain('\n', line);
            Assert.DoesNotContain('\r', line);
            Assert.True(Encoding.UTF8.GetByteCount(line) <= 78, $"{line.Length} characters: {line}");
        }

        // MIME text has canonical line breaks, which MimeKit reads back as LF (for its own encoding too): a CRLF
        // inside a value comes back as LF. Templates use LF, so for them this is exact equality.
        foreach (var format in new[] { NewLineFormat.Dos, NewLineFormat.Unix })
        {
            var parsed = await MimeMessage.LoadAsync(new MemoryStream(Encoding.UTF8.GetBytes(await WriteAsync(message, format))));
            Assert.Equal(expected.Html.ReplaceLineEndings("\n"), parsed.HtmlBody);
            Assert.Equal(expected.Text.ReplaceLineEndings("\n"), parsed.TextBody);
            Assert.Equal(expected.Subject, parsed.Subject);
        }

        return sent;
    }

    private static async Task<string> WriteAsync(MimeMessage message, NewLineFormat format)
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = format;
        using var stream = new MemoryStream();
        await message.WriteToAsync(options, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
