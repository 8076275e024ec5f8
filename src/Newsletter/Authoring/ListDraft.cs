namespace Newsletter.Authoring;

/// <summary>The new-list form as posted, shown again with its errors when refused.</summary>
public sealed record ListDraft(string Slug, string Name, string Description, bool DoubleOptIn)
{
    public static readonly ListDraft Empty = new("", "", "", true);
}
