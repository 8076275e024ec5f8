using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;
using Newsletter.Content;
using Newsletter.Rendering;
using Newsletter.Sending;

namespace Newsletter.Archive;

/// <summary>
/// The public archive: <c>/archive</c> lists the issues that have gone out, <c>/archive/{slug}</c> is an
/// issue's web version (the "view in browser" link of every mail). Drafts never show.
/// </summary>
public static class ArchivePages
{
    // Rendering an issue costs tens of milliseconds; a popular issue is rendered once per process.
    private static readonly ConcurrentDictionary<(string Slug, string Source), string> Rendered = new();

    public static WebApplication MapArchivePages(this WebApplication app)
    {
        app.MapGet("/archive", IndexAsync);
        app.MapGet("/archive/{slug}", IssueAsync);
        return app;
    }

    private static async Task<IResult> IndexAsync(SendStore sends, IOptions<NewsletterOptions> options)
    {
        var items = new StringBuilder();
        foreach (var (slug, title, at) in await sends.PublishedIssuesAsync())
            items.Append($"<li><a href=\"/archive/{Uri.EscapeDataString(slug)}\">{WebUtility.HtmlEncode(title)}</a> " +
                         $"<time datetime=\"{at:yyyy-MM-dd}\">{at:d MMMM yyyy}</time></li>");
        var name = WebUtility.HtmlEncode(options.Value.Name);
        var html = $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{name}: archive</title>
            <style>body{"{"}font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5{"}"} time{"{"}color:#57606a{"}"}</style>
            </head><body><h1>{name}</h1><ul>{items}</ul></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8");
    }

    private static async Task<IResult> IssueAsync(
        string slug, SendStore sends, IssueReader reader, MailRenderer renderer, IOptions<NewsletterOptions> options,
        CancellationToken cancellationToken)
    {
        var issue = await sends.FindPublishedIssueAsync(slug);
        if (issue is null)
            return Results.NotFound();

        if (!Rendered.TryGetValue((slug, issue.Source), out var html))
        {
            var mail = await renderer.RenderIssueAsync(reader.Parse(issue.Source, issue.Slug), cancellationToken);
            var archive = $"{options.Value.PublicUrl.TrimEnd('/')}/archive";
            // Nobody in particular reads the web version: greet with the fallback, send account links to the archive.
            html = new Personalizer(mail).Personalize(new MergeValues("", null, archive, archive, $"{archive}/{slug}")).Html;
            Rendered[(slug, issue.Source)] = html;
        }
        return Results.Content(html, "text/html; charset=utf-8");
    }
}
