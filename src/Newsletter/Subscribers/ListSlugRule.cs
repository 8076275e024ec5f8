using System.Text.RegularExpressions;

namespace Newsletter.Subscribers;

/// <summary>What a list's slug may be, for the CLI and the author's pages alike: it appears in forms, links and commands.</summary>
public static partial class ListSlugRule
{
    public const string Description = "1-64 lower-case letters, digits and '-', starting with a letter or digit";

    public static bool IsValid(string? slug) => slug is not null && Pattern().IsMatch(slug);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex Pattern();
}
