using System.ServiceModel.Syndication;
using System.Text;
using System.Xml;
using Newsletter.Configuration;

namespace Newsletter.Archive;

/// <summary>The archive as an Atom feed (RFC 4287): one entry per issue that has gone out, newest first.</summary>
public static class ArchiveFeed
{
    public const string ContentType = "application/atom+xml; charset=utf-8";

    public static byte[] Write(NewsletterOptions newsletter, IReadOnlyList<(string Slug, string Title, DateTime PublishedAt)> issues)
    {
        var site = newsletter.PublicUrl.TrimEnd('/');
        var feed = new SyndicationFeed
        {
            Title = new TextSyndicationContent(newsletter.Name),
            Id = $"{site}/archive/feed.xml",
            // A feed with no entries yet still needs a time; the epoch says "nothing has gone out".
            LastUpdatedTime = issues.Count == 0 ? DateTimeOffset.UnixEpoch : issues.Max(i => AsUtc(i.PublishedAt)),
            Items = issues.Select(Entry).ToList(),
        };
        feed.Links.Add(SyndicationLink.CreateAlternateLink(new Uri($"{site}/archive")));
        feed.Links.Add(new SyndicationLink(new Uri($"{site}/archive/feed.xml")) { RelationshipType = "self", MediaType = "application/atom+xml" });
        feed.Authors.Add(new SyndicationPerson { Name = newsletter.Sender.Name });

        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
            new Atom10FeedFormatter(feed).WriteTo(writer);
        return buffer.ToArray();

        // Title and link only: the web version is the content, one click away.
        SyndicationItem Entry((string Slug, string Title, DateTime PublishedAt) issue)
        {
            var page = new Uri($"{site}/archive/{Uri.EscapeDataString(issue.Slug)}");
            var entry = new SyndicationItem
            {
                Id = page.ToString(),
                Title = new TextSyndicationContent(issue.Title),
                PublishDate = AsUtc(issue.PublishedAt),
                LastUpdatedTime = AsUtc(issue.PublishedAt),
            };
            entry.Links.Add(SyndicationLink.CreateAlternateLink(page));
            return entry;
        }
    }

    private static DateTimeOffset AsUtc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));
}
