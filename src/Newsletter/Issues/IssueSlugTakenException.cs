namespace Newsletter.Issues;

/// <summary>Another stored issue already has this slug; nothing was stored.</summary>
public sealed class IssueSlugTakenException(string slug)
    : NewsletterException($"Another issue already has the slug '{slug}'.")
{
    public string Slug { get; } = slug;
}
