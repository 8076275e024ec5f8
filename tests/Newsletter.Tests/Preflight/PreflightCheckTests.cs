using Microsoft.Extensions.Options;
using Newsletter.Configuration;
using Newsletter.Content;
using Newsletter.Mail;
using Newsletter.Preflight;
using Newsletter.Rendering;
using Newsletter.Subscribers;
using Newsletter.Tests.Infrastructure;
using Newsletter.Tests.Rendering;

namespace Newsletter.Tests.Preflight;

/// <summary>Each preflight check against an issue (or settings) that fails it, and the sample issue passing them all.</summary>
[Collection(RenderingCollection.Name)]
public sealed class PreflightCheckTests(RenderingFixture fixture)
{
    // Most tests look at one check; SpamAssassin costs seconds a run, so they go without it.
    private static readonly SpamAssassinCheck NoSpamAssassin = new("/nonexistent/spamassassin");

    private static readonly NewsletterOptions LocalDefaults = new();

    [Fact]
    public async Task SampleIssuePassesWithItsDkimRecordAndASpamScore()
    {
        await SystemPackages.RequireAsync("spamassassin");
        using var key = new TestDkimKey();
        var dkim = new DkimOptions { Domain = TestDkimKey.Domain, Selector = TestDkimKey.Selector, PrivateKeyPath = key.PrivateKeyPath };

        var report = await Preflight(dkim: dkim, spamAssassin: new SpamAssassinCheck()).RunAsync(fixture.Sample);

        Assert.False(report.HasFailures, string.Join("\n", report.Lines));
        foreach (var check in new[] { HtmlSizeCheck.Name, LinkCheck.Name, ImageCheck.Name, MergeTokenCheck.Name, UnsubscribeHeadersCheck.Name, DkimCheck.Name })
            Assert.Equal(PreflightVerdict.Pass, Assert.Single(report.Lines, line => line.Check == check).Verdict);
        var dkimLine = Assert.Single(report.Lines, line => line.Check == DkimCheck.Name);
        Assert.Equal(new DnsTxtRecord("test._domainkey.news.example.com", key.TxtRecord), dkimLine.Record);
        var spam = Assert.Single(report.Lines, line => line.Check == SpamAssassinCheck.Name);
        Assert.Equal(PreflightVerdict.Pass, spam.Verdict);
        Assert.Contains("SpamAssassin scores the message", spam.Message);
        Assert.Contains("MAILING_LIST_MULTI", spam.Detail);
    }

    [Fact]
    public async Task LocalDefaultsOnlyWarnSoTheDemoStillSends()
    {
        var report = await Preflight(LocalDefaults).RunAsync(fixture.Sample);

        Assert.False(report.HasFailures, string.Join("\n", report.Lines));
        Assert.Contains(report.Lines, line => line is { Check: LinkCheck.Name, Verdict: PreflightVerdict.Warn } && line.Message.Contains("Newsletter:PublicUrl"));
        Assert.Equal(PreflightVerdict.Warn, Line(report, UnsubscribeHeadersCheck.Name).Verdict);
        Assert.Contains("not configured", Line(report, DkimCheck.Name).Message);
        Assert.Contains("localhost", Line(report, SenderDomainCheck.Name).Message);
    }

    [Fact]
    public async Task IssueOverGmailsClipFailsTheSizeCheck()
    {
        var paragraph = string.Concat(Enumerable.Repeat("A paragraph long enough to fill the issue quickly. ", 20));
        var issue = IssueOf(string.Join("\n\n", Enumerable.Repeat(paragraph, 120)));

        var report = await Preflight().RunAsync(issue);

        var size = Line(report, HtmlSizeCheck.Name);
        Assert.Equal(PreflightVerdict.Fail, size.Verdict);
        Assert.Contains("102 KB", size.Message);
        Assert.True(report.HasFailures);
    }

    [Theory]
    [InlineData(50 * 1024, PreflightVerdict.Pass)]
    [InlineData(95 * 1024, PreflightVerdict.Warn)]
    [InlineData(102 * 1024, PreflightVerdict.Warn)]
    [InlineData(102 * 1024 + 1, PreflightVerdict.Fail)]
    public void HtmlSizeIsMeasuredAgainstTheClipInBytes(int bytes, PreflightVerdict expected)
    {
        using var message = new MimeKit.MimeMessage();
        // Two bytes a character in UTF-8: what counts is bytes on the wire, not characters.
        var html = new string('é', bytes / 2) + (bytes % 2 == 1 ? "a" : "");

        Assert.Equal(expected, HtmlSizeCheck.Check(new IssueSample(fixture.Rendered, html, message)).Verdict);
    }

    [Fact]
    public async Task PlainHttpLinksAndBareUrlsAsLinkTextAreWarned()
    {
        var issue = IssueOf("Read [the post](http://plain.weekly-notes.org/post), then <https://bare.weekly-notes.org/page>.");

        var report = await Preflight().RunAsync(issue);

        var links = report.Lines.Where(line => line.Check == LinkCheck.Name).ToList();
        Assert.All(links, line => Assert.Equal(PreflightVerdict.Warn, line.Verdict));
        Assert.Contains(links, line => line.Message.Contains("not https") && line.Detail == "http://plain.weekly-notes.org/post");
        Assert.Contains(links, line => line.Message.Contains("bare URL") && line.Detail == "https://bare.weekly-notes.org/page");
    }

    [Fact]
    public async Task ImagesWithoutAltTextOrWidthAreWarned()
    {
        var issue = IssueOf("The numbers ![](https://img.weekly-notes.org/chart.png) speak for themselves.");

        var report = await Preflight().RunAsync(issue);

        var images = report.Lines.Where(line => line.Check == ImageCheck.Name).ToList();
        Assert.Equal(2, images.Count);
        Assert.All(images, line => Assert.Equal(PreflightVerdict.Warn, line.Verdict));
        Assert.Contains(images, line => line.Message.Contains("without alt text") && line.Detail == "https://img.weekly-notes.org/chart.png");
        Assert.Contains(images, line => line.Message.Contains("without a width") && line.Detail == "https://img.weekly-notes.org/chart.png");
    }

    [Fact]
    public async Task UnknownMergeTokenFailsAndANameWithoutFallbackWarns()
    {
        // The reader refuses an issue file with an unknown token; a template or an issue stored before it did
        // can still bring one into the rendered mail, here through the subject.
        var issue = IssueOf("Hi {{name}}, your code is below.") with { Title = "News for {{ first_name }}" };

        var report = await Preflight().RunAsync(issue);

        var tokens = report.Lines.Where(line => line.Check == MergeTokenCheck.Name).ToList();
        Assert.Contains(tokens, line => line.Verdict == PreflightVerdict.Fail && line.Detail == "{{ first_name }}");
        Assert.Contains(tokens, line => line.Verdict == PreflightVerdict.Warn && line.Detail == "{{name}}");
        Assert.True(report.HasFailures);
    }

    [Fact]
    public void MessageWithoutListUnsubscribeHeadersFails()
    {
        var mail = new Personalizer(fixture.Rendered).Personalize(RenderingFixture.Sam);
        // The builder leaves the list headers off transactional mail: the shape of a message that lost them.
        using var message = new IssueMessageBuilder(RenderingFixture.Options).Build(mail, new MessageRecipient("sam@example.com", "Sam", null), bulk: false);

        var line = UnsubscribeHeadersCheck.Check(message);

        Assert.Equal(PreflightVerdict.Fail, line.Verdict);
        Assert.Contains("List-Unsubscribe and no List-Unsubscribe-Post", line.Message);
    }

    [Fact]
    public async Task DkimKeyThatIsNoKeyFailsAndAForeignSigningDomainWarns()
    {
        using var key = new TestDkimKey();
        var notAKey = Path.Combine(Path.GetDirectoryName(key.PrivateKeyPath)!, "not-a-key.pem");
        await File.WriteAllTextAsync(notAKey, "-----BEGIN NOTHING-----\n-----END NOTHING-----\n");
        var signing = new DkimOptions { Domain = TestDkimKey.Domain, Selector = TestDkimKey.Selector, PrivateKeyPath = key.PrivateKeyPath };
        using var message = new IssueMessageBuilder(RenderingFixture.Options, new DkimSigning(Options.Create(signing)))
            .Build(new Personalizer(fixture.Rendered), RenderingFixture.Sam, new MessageRecipient("sam@example.com", "Sam", RenderingFixture.Sam.UnsubscribeUrl));

        var broken = Assert.Single(DkimCheck.Check(new DkimOptions { Domain = "news.example.com", Selector = "test", PrivateKeyPath = notAKey },
            "letters@news.example.com", message));
        var foreign = DkimCheck.Check(signing, "letters@weekly-notes.org", message).ToList();

        Assert.Equal(PreflightVerdict.Fail, broken.Verdict);
        Assert.Contains("not-a-key.pem", broken.Message);
        Assert.Equal([PreflightVerdict.Pass, PreflightVerdict.Warn], foreign.Select(line => line.Verdict));
        Assert.Contains("DMARC", foreign[1].Message);
    }

    [Fact]
    public void SenderDomainGetsTheSpfAndDmarcRecordsToPublish()
    {
        var lines = SenderDomainCheck.Check("letters@weekly-notes.org", "smtp.relay-provider.net").ToList();
        var local = Assert.Single(SenderDomainCheck.Check("newsletter@localhost", "127.0.0.1"));

        Assert.All(lines, line => Assert.Equal(PreflightVerdict.Advice, line.Verdict));
        Assert.Equal(
            [
                new DnsTxtRecord("weekly-notes.org", "v=spf1 a:smtp.relay-provider.net ~all"),
                new DnsTxtRecord("_dmarc.weekly-notes.org", "v=DMARC1; p=none; rua=mailto:postmaster@weekly-notes.org"),
            ],
            lines.Select(line => line.Record));
        Assert.Equal(PreflightVerdict.Warn, local.Verdict);
    }

    [Fact]
    public async Task SpammyIssueFailsSpamAssassinNamingTheRules()
    {
        await SystemPackages.RequireAsync("spamassassin");
        var issue = IssueOf(
            "DEAR FRIEND, YOU HAVE BEEN SELECTED AS A WINNER!!! CLAIM YOUR $1,000,000 CASH PRIZE NOW!!!\n\n" +
            "Buy cheap viagra and cialis online, no prescription needed! 100% satisfaction guaranteed! Lose weight fast! " +
            "Act now! Dear Sir/Madam, I need your bank account to transfer US$25,000,000 (TWENTY FIVE MILLION UNITED STATES DOLLARS).",
            title: "FREE MONEY!!! ACT NOW!!! 100% GUARANTEED");

        var report = await Preflight(spamAssassin: new SpamAssassinCheck()).RunAsync(issue);

        var spam = Line(report, SpamAssassinCheck.Name);
        Assert.Equal(PreflightVerdict.Fail, spam.Verdict);
        Assert.Contains("DEAR_FRIEND", spam.Detail);
    }

    [Fact]
    public async Task MissingSpamAssassinIsAWarningNotAFailure()
    {
        var report = await Preflight().RunAsync(fixture.Sample);

        var spam = Line(report, SpamAssassinCheck.Name);
        Assert.Equal(PreflightVerdict.Warn, spam.Verdict);
        Assert.StartsWith("spamassassin not installed", spam.Message);
        Assert.False(report.HasFailures);
    }

    [Fact]
    public async Task SpamAssassinSwitchedOffIsAWarningSayingSoAndRunsNothing()
    {
        // A program that cannot start would say "not installed": the switch must not even try.
        var report = await Preflight(spamAssassin: new SpamAssassinCheck("/nonexistent/spamassassin"),
            preflight: new PreflightOptions { SpamAssassin = false }).RunAsync(fixture.Sample);

        var spam = Line(report, SpamAssassinCheck.Name);
        Assert.Equal(PreflightVerdict.Warn, spam.Verdict);
        Assert.Contains("switched off (Newsletter:Preflight:SpamAssassin)", spam.Message);
    }

    private IssuePreflight Preflight(NewsletterOptions? options = null, DkimOptions? dkim = null, SpamAssassinCheck? spamAssassin = null,
        PreflightOptions? preflight = null)
    {
        options ??= RenderingFixture.Options;
        dkim ??= new DkimOptions();
        var builder = new IssueMessageBuilder(options, dkim.Enabled ? new DkimSigning(Options.Create(dkim)) : null);
        var links = new SubscriptionLinks(SubscriptionTokens.FromSecret(new byte[32]), Options.Create(options));
        return new IssuePreflight(fixture.Renderer, builder, links, spamAssassin ?? NoSpamAssassin,
            Options.Create(options), Options.Create(dkim), Options.Create(new SmtpOptions()),
            Options.Create(preflight ?? new PreflightOptions()));
    }

    private static PreflightLine Line(PreflightReport report, string check) => Assert.Single(report.Lines, line => line.Check == check);

    private static Issue IssueOf(string body, string title = "Preflight test") =>
        new IssueReader().Parse($"---\ntitle: \"{title}\"\ndate: 2026-11-23\n---\n\n{body}\n", "preflight-test.md");
}
