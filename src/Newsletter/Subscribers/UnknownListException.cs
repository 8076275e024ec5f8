namespace Newsletter.Subscribers;

/// <summary>One or more list slugs name no list; nothing was done.</summary>
public sealed class UnknownListException(IReadOnlyList<string> slugs)
    : NewsletterException($"No list with the slug {string.Join(", ", slugs.Select(s => $"'{s}'"))}.")
{
    public IReadOnlyList<string> Slugs { get; } = slugs;
}
