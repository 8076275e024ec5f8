using AngleSharp.Html.Parser;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;
using Newsletter.Content;
using Newsletter.Issues;
using Newsletter.Rendering;

namespace Newsletter.Archive;

/// <summary>
/// An issue's web version: the mail as nobody in particular would get it, split into its style block
/// and its body so the page layout can frame it. Rendering costs tens of milliseconds, so the most
/// recently asked issues are kept, a bounded number of them.
/// </summary>
public sealed class IssueWebVersions(IssueStore issues, IssueReader reader, MailRenderer renderer, IOptions<NewsletterOptions> options) : IDisposable
{
    private const int KeptIssues = 32;

    private readonly MemoryCache _rendered = new(new MemoryCacheOptions { SizeLimit = KeptIssues });

    public async Task<IssueWebVersion> GetAsync(PublishedIssue published, CancellationToken cancellationToken = default)
    {
        // An edited issue keeps its slug: a kept version counts only if it was made from the same version.
        if (_rendered.TryGetValue(published.Slug, out IssueWebVersion? kept) && kept!.UpdatedAt == published.UpdatedAt)
            return kept;

        var issue = await issues.GetIssueAsync(published.Id, cancellationToken);
        var mail = await renderer.RenderIssueAsync(reader.Parse(issue.Source, issue.Slug), cancellationToken);
        var archive = $"{options.Value.PublicUrl.TrimEnd('/')}/archive";
        // Nobody in particular reads the web version: greet with the fallback, send account links to the archive.
        var html = new Personalizer(mail).Personalize(new MergeValues("", null, archive, archive, $"{archive}/{issue.Slug}")).Html;
        var document = await new HtmlParser().ParseDocumentAsync(html, cancellationToken);
        var styles = string.Join("\n", document.Head?.QuerySelectorAll("style").Select(style => style.TextContent) ?? []);
        var version = new IssueWebVersion(published.UpdatedAt, document.Title ?? issue.Title, styles, document.Body?.InnerHtml ?? "");
        _rendered.Set(published.Slug, version, new MemoryCacheEntryOptions { Size = 1 });
        return version;
    }

    public void Dispose() => _rendered.Dispose();
}
