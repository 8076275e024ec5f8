using MimeKit;
using Newsletter.Mail;
using Newsletter.Sending;
using Newsletter.Tests.Rendering;

namespace Newsletter.Tests.Sending;

[Collection(RenderingCollection.Name)]
public sealed class IssueMessageBuilderTests(RenderingFixture fixture)
{
    [Fact]
    public async Task MessageParsesBackWithListHeadersAndBothParts()
    {
        var sam = RenderingFixture.Sam;
        var date = new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.Zero);
        var built = new IssueMessageBuilder(RenderingFixture.Options).Build(
            fixture.Personalized,
            new MessageRecipient(sam.Email, sam.Name, sam.UnsubscribeUrl),
            messageId: "send-7.subscriber-42@news.example.com",
            date: date);

        using var stream = new MemoryStream();
        await built.WriteToAsync(stream);
        stream.Position = 0;
        var message = await MimeMessage.LoadAsync(stream);

        Assert.Equal("\"Test Weekly\" <letters@news.example.com>", message.From.ToString());
        Assert.Equal("\"Sam\" <sam@example.com>", message.To.ToString());
        Assert.Equal("editor@news.example.com", message.ReplyTo.Mailboxes.Single().Address);
        Assert.Equal(fixture.Sample.Subject, message.Subject);
        Assert.Equal(date, message.Date);
        Assert.Equal("send-7.subscriber-42@news.example.com", message.MessageId);
        Assert.Equal("\"Test Weekly\" <test-weekly.news.example.com>", message.Headers["List-Id"]);
        Assert.Equal(
            "<https://news.example.com/unsubscribe/t0k3n?a=1&b=2>",
            message.Headers["List-Unsubscribe"]!.ReplaceLineEndings("").Replace("  ", " ", StringComparison.Ordinal));
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);

        var alternative = Assert.IsType<MultipartAlternative>(message.Body);
        Assert.Equal(2, alternative.Count);
        Assert.Equal("text/plain", alternative[0].ContentType.MimeType);
        Assert.Equal("text/html", alternative[1].ContentType.MimeType);
        Assert.Equal(fixture.Personalized.Text, message.TextBody);
        Assert.Equal(fixture.Personalized.Html, message.HtmlBody);
    }

    [Fact]
    public void TransactionalMailCarriesNoListHeaders()
    {
        var message = new IssueMessageBuilder(RenderingFixture.Options).Build(
            fixture.Personalized, new MessageRecipient("new@example.com", null, null), bulk: false);

        Assert.Null(message.Headers["List-Unsubscribe"]);
        Assert.Null(message.Headers["List-Id"]);
        Assert.EndsWith("@news.example.com", message.MessageId);
        Assert.Equal("new@example.com", message.To.Mailboxes.Single().Address);
    }

    [Fact]
    public async Task FastPathFromThePersonalizerMatchesTheStringPath()
    {
        var sam = RenderingFixture.Sam;
        var recipient = new MessageRecipient(sam.Email, sam.Name, sam.UnsubscribeUrl);
        var builder = new IssueMessageBuilder(RenderingFixture.Options);

        var built = builder.Build(new Newsletter.Rendering.Personalizer(fixture.Rendered), sam, recipient, "fast@news.example.com");
        using var stream = new MemoryStream();
        await built.WriteToAsync(stream);
        stream.Position = 0;
        var message = await MimeMessage.LoadAsync(stream);

        Assert.Equal(fixture.Personalized.Subject, message.Subject);
        Assert.Equal(fixture.Personalized.Text, message.TextBody);
        Assert.Equal(fixture.Personalized.Html, message.HtmlBody);
        var html = Assert.IsType<TextPart>(Assert.IsType<MultipartAlternative>(message.Body)[1]);
        Assert.Equal("utf-8", html.ContentType.Charset);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);
    }
}
