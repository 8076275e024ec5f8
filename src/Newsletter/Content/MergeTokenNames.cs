using System.Text.RegularExpressions;

namespace Newsletter.Content;

/// <summary>
/// The names an issue may use between <c>{{</c> and <c>}}</c>; the renderer fills exactly these
/// (Rendering's <c>MergeTokens</c> maps each to its value). Anything else in an issue is a typo that
/// would reach every reader as written, so the reader refuses it.
/// </summary>
public static partial class MergeTokenNames
{
    public const string Name = "name";
    public const string Email = "email";
    public const string UnsubscribeUrl = "unsubscribe_url";
    public const string PreferencesUrl = "preferences_url";
    public const string WebVersionUrl = "web_url";

    public static IReadOnlyList<string> All { get; } = [Name, Email, UnsubscribeUrl, PreferencesUrl, WebVersionUrl];

    /// <summary>A token as the personalizer finds it: <c>{{ field }}</c> or <c>{{ field | fallback }}</c>.</summary>
    [GeneratedRegex(@"\{\{\s*(?<field>[a-z_]+)\s*(?:\|(?<fallback>[^{}]*?))?\s*\}\}")]
    public static partial Regex Token();
}
