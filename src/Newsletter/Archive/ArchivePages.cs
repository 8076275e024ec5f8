using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;
using Newsletter.Issues;
using Newsletter.Pages;

namespace Newsletter.Archive;

/// <summary>
/// The public archive: <c>/archive</c> lists the issues that have gone out, <c>/archive/{slug}</c> is an
/// issue's web version (the "view in browser" link of every mail), <c>/archive/feed.xml</c> their Atom feed.
/// Drafts never show.
/// </summary>
public static class ArchivePages
{
    public static IServiceCollection AddArchive(this IServiceCollection services) => services.AddSingleton<IssueWebVersions>();

    public static WebApplication MapArchivePages(this WebApplication app)
    {
        app.MapGet("/archive", IndexAsync);
        app.MapGet("/archive/feed.xml", FeedAsync);
        app.MapGet("/archive/{slug}", IssueAsync);
        return app;
    }

    private static async Task<IResult> IndexAsync(IssueStore issues, CancellationToken cancellationToken = default) =>
        PageResults.Page<ArchiveIndexPage>(StatusCodes.Status200OK, new { Issues = await issues.PublishedIssuesAsync(cancellationToken) });

    private static async Task<IResult> FeedAsync(IssueStore issues, IOptions<NewsletterOptions> newsletter,
        CancellationToken cancellationToken = default) =>
        Results.Bytes(ArchiveFeed.Write(newsletter.Value, await issues.PublishedIssuesAsync(cancellationToken)), ArchiveFeed.ContentType);

    private static async Task<IResult> IssueAsync(string slug, IssueStore issues, IssueWebVersions versions, CancellationToken cancellationToken = default)
    {
        var issue = await issues.FindPublishedIssueAsync(slug, cancellationToken);
        return issue is null
            ? PageResults.Message(StatusCodes.Status404NotFound, "No such issue",
                "There is no issue at this address; it may not have gone out yet.", "/archive", "See all issues")
            : PageResults.Page<ArchiveIssuePage>(StatusCodes.Status200OK, new { Version = await versions.GetAsync(issue, cancellationToken) });
    }
}
