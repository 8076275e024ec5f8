using Newsletter.Rendering;

namespace Newsletter.Tests.Rendering;

[Collection(RenderingCollection.Name)]
public sealed class SubscriptionMailTests(RenderingFixture fixture)
{
    [Fact]
    public async Task ConfirmationMailCarriesTheConfirmLinkInTheSharedLayoutWithoutListLinks()
    {
        var mail = await fixture.Renderer.RenderConfirmationAsync("Friday Links", "https://news.example.com/confirm/abc?x=1&y=2", new DateTimeOffset(2026, 12, 6, 9, 30, 0, TimeSpan.Zero));

        Assert.Equal("Confirm your subscription to Friday Links", mail.Subject);
        Assert.Contains("href=\"https://news.example.com/confirm/abc?x=1&amp;y=2\"", mail.Html);
        Assert.Contains("subscribe this address to <strong>Friday Links</strong>", mail.Html);
        Assert.Contains("The link works until 6 December 2026, 09:30 UTC.", mail.Html);
        Assert.Contains("The link works until 6 December 2026, 09:30 UTC.", mail.Text);
        Assert.Contains("class=\"preheader\"", mail.Html);
        Assert.Contains("12 Harbour Road, Portsmouth", mail.Html);
        Assert.DoesNotContain("Unsubscribe", mail.Html);
        Assert.DoesNotContain("{{", mail.Html);
        Assert.Contains("https://news.example.com/confirm/abc?x=1&y=2\n", mail.Text);
        Assert.Contains("@media screen and (max-width: 600px)", mail.Html);
    }

    [Fact]
    public async Task WelcomeMailIsRenderedOnceAndPersonalised()
    {
        var rendered = await fixture.Renderer.RenderWelcomeAsync("Friday Links");
        var mail = new Personalizer(rendered).Personalize(RenderingFixture.Sam);

        Assert.Equal("Welcome to Friday Links", mail.Subject);
        Assert.Contains("Welcome to Friday Links</h1>", mail.Html);
        Assert.Contains("Hi Sam, your subscription is confirmed.", mail.Html);
        Assert.Contains("Hi Sam, your subscription is confirmed.", mail.Text);
        Assert.Contains("href=\"https://news.example.com/unsubscribe/t0k3n?a=1&amp;b=2\"", mail.Html);
        Assert.Contains("href=\"https://news.example.com/archive\"", mail.Html);
        Assert.Contains("Unsubscribe: https://news.example.com/unsubscribe/t0k3n?a=1&b=2", mail.Text);
    }

    [Fact]
    public async Task TemplateThatDoesNotCompileIsNamedWithItsLine()
    {
        var copy = Directory.CreateTempSubdirectory("templates-").FullName;
        try
        {
            foreach (var file in Directory.GetFiles(Path.Combine(fixture.Renderer.TemplatesDirectory, "email")))
            {
                Directory.CreateDirectory(Path.Combine(copy, "email"));
                File.Copy(file, Path.Combine(copy, "email", Path.GetFileName(file)));
            }

            var welcome = Path.Combine(copy, "email", "Welcome.cshtml");
            var lines = File.ReadAllLines(welcome).ToList();
            lines.Insert(6, "<p>@Model.NoSuchProperty</p>");
            File.WriteAllLines(welcome, lines);

            var renderer = new MailRenderer(RenderingFixture.Options, copy, typeof(SubscriptionMailTests).Assembly);
            var e = await Assert.ThrowsAsync<TemplateException>(() => renderer.CompileAsync());

            Assert.Equal(welcome, e.File);
            Assert.Equal(7, e.Line);
            Assert.Contains("NoSuchProperty", e.Message);
            Assert.StartsWith($"{welcome}:7: does not compile", e.Message);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }
}
