using System.Buffers;
using System.Diagnostics;
using Newsletter.Configuration;
using Newsletter.Content;
using Newsletter.Rendering;

namespace Newsletter.Benchmarks;

/// <summary><c>render</c>: first template compile, one issue render, and per-recipient personalisation (the send's path).</summary>
public static class RenderBenchmark
{
    public static async Task<BenchReport> RunAsync(BenchArguments arguments)
    {
        var renders = arguments.Int("renders", 50);
        var personalizations = arguments.Int("personalizations", 200_000);
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

        return new BenchReport("render")
            .Add("first_compile_s", compile, "RazorLight compiles the email templates")
            .Add("render_ms", renderMs, $"one issue: Razor, CSS inlining, text part (mean of {renders})")
            .Add("html_bytes", html.WrittenCount, "one recipient's HTML, quoted-printable as sent")
            .Add("text_bytes", text.WrittenCount)
            .Add("personalizations_per_s", perSecond, "HTML + text parts (encoded) + subject per recipient, one thread")
            .Add("peak_rss_mb", PeakMemory.Megabytes());
    }
}
