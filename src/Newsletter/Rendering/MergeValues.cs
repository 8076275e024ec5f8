namespace Newsletter.Rendering;

/// <summary>What one recipient's tokens become. Values are raw; <see cref="Personalizer"/> escapes them per part.</summary>
/// <param name="Name">May be null or empty: the token's fallback is used instead.</param>
public sealed record MergeValues(
    string Email,
    string? Name,
    string UnsubscribeUrl,
    string PreferencesUrl,
    string WebVersionUrl);
