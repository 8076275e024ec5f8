namespace Newsletter.Rendering;

/// <summary>
/// What the shared layout (<c>templates/email/_Layout.cshtml</c>) needs from every mail: the frame around
/// the content. Link properties hold merge tokens; the <see cref="Personalizer"/> fills them later.
/// </summary>
public abstract class EmailModel
{
    public required string ListName { get; init; }

    public required string Subject { get; init; }

    public required string Preheader { get; init; }

    /// <summary>Shown in the header next to the list name, e.g. the issue date.</summary>
    public string? HeaderNote { get; init; }

    public required string PostalAddress { get; init; }

    /// <summary>Why the reader gets this mail, printed in the footer.</summary>
    public required string Why { get; init; }

    /// <summary>False for mails to people who are not subscribed yet (confirmation).</summary>
    public bool HasListLinks { get; init; } = true;

    /// <summary>True when the mail has a browser version (issues do; transactional mails do not).</summary>
    public bool HasWebVersion { get; init; }

    public string UnsubscribeUrl => MergeTokens.UnsubscribeUrl;

    public string PreferencesUrl => MergeTokens.PreferencesUrl;

    public string WebVersionUrl => MergeTokens.WebVersionUrl;
}
