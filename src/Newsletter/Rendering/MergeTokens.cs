using Newsletter.Content;

namespace Newsletter.Rendering;

/// <summary>
/// The merge tokens as they appear in templates and issues. <c>{{name}}</c> also takes a fallback for
/// recipients without a name: <c>{{name|friend}}</c>; without one it falls back to <see cref="DefaultNameFallback"/>.
/// </summary>
public static class MergeTokens
{
    public const string Name = "{{name}}";
    public const string Email = "{{email}}";
    public const string UnsubscribeUrl = "{{unsubscribe_url}}";
    public const string PreferencesUrl = "{{preferences_url}}";
    public const string WebVersionUrl = "{{web_url}}";

    public const string DefaultNameFallback = "there";

    internal static MergeField? FieldOf(ReadOnlySpan<char> name) => name switch
    {
        MergeTokenNames.Name => MergeField.Name,
        MergeTokenNames.Email => MergeField.Email,
        MergeTokenNames.UnsubscribeUrl => MergeField.UnsubscribeUrl,
        MergeTokenNames.PreferencesUrl => MergeField.PreferencesUrl,
        MergeTokenNames.WebVersionUrl => MergeField.WebVersionUrl,
        _ => null,
    };
}
