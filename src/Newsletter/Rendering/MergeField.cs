namespace Newsletter.Rendering;

/// <summary>The per-recipient values a rendered mail can hold tokens for; see <c>templates/README.md</c>.</summary>
public enum MergeField
{
    Name,
    Email,
    UnsubscribeUrl,
    PreferencesUrl,
    WebVersionUrl,
}
