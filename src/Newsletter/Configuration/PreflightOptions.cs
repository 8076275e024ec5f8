namespace Newsletter.Configuration;

/// <summary>The <c>Newsletter:Preflight</c> section: the checks an issue passes before it goes to a list.</summary>
public sealed class PreflightOptions
{
    public const string Section = "Newsletter:Preflight";

    /// <summary>
    /// Whether the issue is scored with SpamAssassin when it is installed. Each new text costs Perl one to three
    /// seconds; a host that scores mail elsewhere, or a test suite, switches it off.
    /// </summary>
    public bool SpamAssassin { get; set; } = true;
}
