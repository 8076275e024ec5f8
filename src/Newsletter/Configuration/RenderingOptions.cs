namespace Newsletter.Configuration;

/// <summary>The <c>Newsletter:Rendering</c> section.</summary>
public sealed class RenderingOptions
{
    public const string Section = "Newsletter:Rendering";

    /// <summary>The <c>templates/</c> folder; empty means search from the current directory upward, then next to the app.</summary>
    public string? TemplatesPath { get; set; }
}
