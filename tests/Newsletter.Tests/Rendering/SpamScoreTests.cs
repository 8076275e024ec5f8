using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using MimeKit;
using Newsletter.Mail;
using Newsletter.Rendering;
using Newsletter.Sending;
using Newsletter.Tests.Infrastructure;

namespace Newsletter.Tests.Rendering;

/// <summary>
/// The sample issue as a subscriber's message, scored by Debian's SpamAssassin with its local rules only
/// (<c>-L</c>: no DNS blocklists, no network), as a receiving filter would look at the HTML.
/// </summary>
[Collection(RenderingCollection.Name)]
public sealed partial class SpamScoreTests(RenderingFixture fixture) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("spamassassin").FullName;

    [Fact]
    public async Task SampleIssueScoresAtMostZeroWithoutLowContrastText()
    {
        var sam = RenderingFixture.Sam;
        using var message = new IssueMessageBuilder(RenderingFixture.Options).Build(
            new Personalizer(fixture.Rendered), sam, new MessageRecipient(sam.Email, sam.Name, sam.UnsubscribeUrl),
            messageId: "send1.42@news.example.com");
        var emlPath = Path.Combine(_directory, "sample.eml");
        await message.WriteToAsync(emlPath);

        var (score, rules) = await ScoreAsync(emlPath);

        Assert.DoesNotContain("HTML_FONT_LOW_CONTRAST", rules);
        Assert.True(score <= 0, $"SpamAssassin scored the sample {score} (rules: {string.Join(", ", rules)})");
    }

    private async Task<(double Score, IReadOnlyList<string> Rules)> ScoreAsync(string emlPath)
    {
        await SystemPackages.RequireAsync("spamassassin");
        var start = new ProcessStartInfo("spamassassin")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var argument in new[] { "-L", "-t" })
            start.ArgumentList.Add(argument);
        // A home of its own: no Bayes database or user preferences from whoever runs the tests.
        start.Environment["HOME"] = _directory;
        using var process = Process.Start(start)!;
        await using (var input = File.OpenRead(emlPath))
            await input.CopyToAsync(process.StandardInput.BaseStream);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"spamassassin failed (exit code {process.ExitCode}): {error}");

        using var scored = MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(await output)));
        var status = WhiteSpace().Replace(scored.Headers["X-Spam-Status"] ?? "", "");
        var match = StatusPattern().Match(status);
        Assert.True(match.Success, $"no X-Spam-Status in SpamAssassin's output: {status}");
        return (double.Parse(match.Groups["score"].Value, CultureInfo.InvariantCulture),
            match.Groups["rules"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries));
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    [GeneratedRegex(@"score=(?<score>-?[0-9.]+).*tests=(?<rules>[A-Z0-9_,]*)")]
    private static partial Regex StatusPattern();

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
