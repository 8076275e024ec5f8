using System.Buffers;
using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Configuration;
using Newsletter.Content;
using Newsletter.Mail;
using Newsletter.Rendering;
using Newsletter.Sending;

namespace Newsletter.Benchmarks;

/// <summary><c>render</c>: first template compile, one issue render, and per-recipient personalisation (the send's path).</summary>
public static class RenderBenchmark
{
    public static async Task<BenchReport> RunAsync(BenchArguments arguments)
    {
        var renders = arguments.Int("renders");
        var personalizations = arguments.Int("personalizations");
        var templates = TemplateDirectory.Locate();
        var renderer = new MailRenderer(new NewsletterOptions(), templates, typeof(RenderBenchmark).Assembly);
        var issue = await new IssueReader().ReadAsync(Path.Combine(templates, "sample-issue.md"));

        var clock = Stopwatch.StartNew();
        await renderer.CompileAsync();
        var compile = clock.Elapsed.TotalSeconds;

        var rendered = await renderer.RenderIssueAsync(issue);
        clock.Restart();
        for (var i = 0; i < renders; i++)
            rendered = await renderer.RenderIssueAsync(issue);
        var renderMs = clock.Elapsed.TotalMilliseconds / renders;

        var personalizer = new Personalizer(rendered);
        var html = new ArrayBufferWriter<byte>(rendered.Html.Length * 2);
        var text = new ArrayBufferWriter<byte>(rendered.Text.Length * 2);
        clock.Restart();
        for (var i = 0; i < personalizations; i++)
        {
            var values = new MergeValues($"reader{i}@example.com", $"Reader {i}", $"https://news.example.com/unsubscribe?token={i}",
                $"https://news.example.com/preferences?token={i}", "https://news.example.com/archive/sample");
            html.ResetWrittenCount();
            text.ResetWrittenCount();
            personalizer.WriteHtml(values, html);
            personalizer.WriteText(values, text);
            personalizer.Subject(values);
        }
        var perSecond = personalizations / clock.Elapsed.TotalSeconds;

        // The whole per-recipient CPU cost of a send short of the network: build, encode, write (and sign).
        var messages = arguments.Int("messages");
        var builder = new IssueMessageBuilder(new NewsletterOptions());
        var built = await BuildRateAsync(personalizer, builder, null, messages);
        var keyDirectory = Directory.CreateTempSubdirectory("newsletter-bench-key-");
        try
        {
            var keyPath = Path.Combine(keyDirectory.FullName, "dkim.pem");
            using (var rsa = RSA.Create(2048))
                await File.WriteAllTextAsync(keyPath, rsa.ExportPkcs8PrivateKeyPem());
            var dkim = new DkimSigning(Options.Create(new DkimOptions { Domain = "news.example.com", Selector = "bench", PrivateKeyPath = keyPath }));
            var signed = await BuildRateAsync(personalizer, builder, dkim, messages);
            return Report(compile, renderMs, renders, html, text, perSecond, built, signed);
        }
        finally
        {
            keyDirectory.Delete(recursive: true);
        }
    }

    private static async Task<double> BuildRateAsync(Personalizer personalizer, IssueMessageBuilder builder, DkimSigning? dkim, int messages)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < messages; i++)
        {
            var email = $"reader{i}@example.com";
            var unsubscribe = $"https://news.example.com/unsubscribe?token={i}";
            var message = builder.Build(personalizer,
                new MergeValues(email, $"Reader {i}", unsubscribe, $"https://news.example.com/preferences?token={i}",
                    "https://news.example.com/archive/sample"),
                new MessageRecipient(email, $"Reader {i}", unsubscribe), $"bench.{i}@news.example.com");
            dkim?.Sign(message);
            await message.WriteToAsync(FormatOptions.Default, Stream.Null);
        }
        return messages / clock.Elapsed.TotalSeconds;
    }

    private static BenchReport Report(
        double compile, double renderMs, int renders, ArrayBufferWriter<byte> html, ArrayBufferWriter<byte> text,
        double perSecond, double built, double signed)
    {

        return new BenchReport("render")
            .Add("first_compile_s", compile, "RazorLight compiles the email templates")
            .Add("render_ms", renderMs, $"one issue: Razor, CSS inlining, text part (mean of {renders})")
            .Add("html_bytes", html.WrittenCount, "one recipient's HTML, quoted-printable as sent")
            .Add("text_bytes", text.WrittenCount)
            .Add("personalizations_per_s", perSecond, "HTML + text parts (encoded) + subject per recipient, one thread")
            .Add("messages_per_s", built, "personalise, build MIME, encode, write to nowhere; one thread")
            .Add("dkim_messages_per_s", signed, "the same, DKIM-signed")
            .Add("peak_rss_mb", ResidentMemory.PeakMegabytes());
    }
}
