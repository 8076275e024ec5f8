using System.Buffers;
using System.Text;
using MimeKit.Encodings;
using Newsletter.Rendering;

namespace Newsletter.Tests.Rendering;

public sealed class PersonalizerTests
{
    private static readonly RenderedMail Mail = new(
        "{{name}}, this week",
        "<p>Hi {{name}}, or {{ name | dear reader }}.</p><a href=\"{{unsubscribe_url}}\">Leave</a> <a href=\"{{preferences_url}}\">Prefs</a> <a href=\"{{web_url}}\">Web</a> {{email}} {{unknown}}",
        "Hi {{name|friend}}\nLeave: {{unsubscribe_url}}\n{{email}}",
        "preview");

    private static MergeValues Values(string? name) => new(
        "o'brien+news@example.com",
        name,
        "https://x.example/u?id=1&sig=a\"b",
        "https://x.example/p?id=1&x=<y>",
        "https://x.example/w/1");

    [Fact]
    public void ValuesAreHtmlEscapedInHtmlAndRawInTextAndSubject()
    {
        var mail = new Personalizer(Mail).Personalize(Values("<b>Tom & \"Jerry\"</b>"));

        Assert.StartsWith("<p>Hi &lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt;, or &lt;b&gt;Tom", mail.Html);
        Assert.Contains("href=\"https://x.example/u?id=1&amp;sig=a&quot;b\"", mail.Html);
        Assert.Contains("href=\"https://x.example/p?id=1&amp;x=&lt;y&gt;\"", mail.Html);
        Assert.Contains("o&#39;brien+news@example.com", mail.Html);
        Assert.DoesNotContain("<b>", mail.Html);

        Assert.Equal("Hi <b>Tom & \"Jerry\"</b>\nLeave: https://x.example/u?id=1&sig=a\"b\no'brien+news@example.com", mail.Text);
        Assert.Equal("<b>Tom & \"Jerry\"</b>, this week", mail.Subject);
    }

    [Fact]
    public void MissingNameFallsBackToTheTokensOwnTextThenTheDefault()
    {
        var mail = new Personalizer(Mail).Personalize(Values(null));

        Assert.StartsWith("<p>Hi there, or dear reader.</p>", mail.Html);
        Assert.StartsWith("Hi friend\n", mail.Text);
        Assert.Equal("there, this week", mail.Subject);
        Assert.Equal("Reader, this week", new Personalizer(Mail, "Reader").Personalize(Values("  ")).Subject);
    }

    [Fact]
    public void UnknownTokensAreLeftAsWritten()
    {
        var mail = new Personalizer(Mail).Personalize(Values("Ann"));

        Assert.EndsWith("{{unknown}}", mail.Html);
        Assert.Contains("href=\"https://x.example/w/1\"", mail.Html);
    }

    [Fact]
    public void LineBreaksInNamesDoNotReachTheSubject()
    {
        var mail = new Personalizer(Mail).Personalize(Values("Eve\r\nBcc: victim@example.com"));

        Assert.Equal("Eve Bcc: victim@example.com, this week", mail.Subject);
    }

    [Fact]
    public void OnePersonalizerServesManyRecipientsConcurrently()
    {
        var personalizer = new Personalizer(Mail);

        var results = Enumerable.Range(0, 2000).AsParallel().Select(i => (i, personalizer.Personalize(Values($"R{i}")))).ToList();

        Assert.All(results, r => Assert.StartsWith($"<p>Hi R{r.i}, or R{r.i}.</p>", r.Item2.Html));
    }

    [Fact]
    public void QuotedPrintableWritersDecodeToExactlyThePersonalisedStrings()
    {
        var personalizer = new Personalizer(Mail);
        foreach (var name in new[] { "Zoë <Ω> & co", null })
        {
            var expected = personalizer.Personalize(Values(name));
            var html = new ArrayBufferWriter<byte>();
            var text = new ArrayBufferWriter<byte>();

            personalizer.WriteHtml(Values(name), html);
            personalizer.WriteText(Values(name), text);

            // The encoded lines end in CRLF as sent; the template's own line breaks are LF.
            Assert.Equal(expected.Html, Decode(html.WrittenSpan).ReplaceLineEndings("\n"));
            Assert.Equal(expected.Text, Decode(text.WrittenSpan).ReplaceLineEndings("\n"));
            Assert.Equal(expected.Subject, personalizer.Subject(Values(name)));
        }
    }

    private static string Decode(ReadOnlySpan<byte> quotedPrintable)
    {
        var decoder = new QuotedPrintableDecoder();
        var output = new byte[decoder.EstimateOutputLength(quotedPrintable.Length)];
        var length = decoder.Decode(quotedPrintable.ToArray(), 0, quotedPrintable.Length, output);
        return Encoding.UTF8.GetString(output, 0, length);
    }
}
