namespace Newsletter.Configuration;

/// <summary>The <c>Newsletter:Rendering</c> section.</summary>
public sealed class RenderingOptions
{
    public const string Section = "Newsletter:Rendering";

    /// <summary>The <c>templates/</c> folder; empty means search from the current directory upward, then next to the app.</summary>
    public string? TemplatesPath { get; set; }

    /// <summary>Where compiled templates are kept between starts; empty means <c>template-cache</c> in the data folder.</summary>
    public string? CachePath { get; set; }
}
