using System.ComponentModel.DataAnnotations;

namespace Newsletter.Configuration;

/// <summary>The <c>Newsletter:Metrics</c> section: who may scrape <c>/metrics</c> besides signed-in operators.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Newsletter:Metrics";

    /// <summary>
    /// A scraper sends it as <c>Authorization: Bearer …</c>; empty: only signed-in operators may read the metrics.
    /// At least 32 characters (<c>openssl rand -base64 32</c>): it is the only guard against guessing.
    /// </summary>
    [MinLength(32, ErrorMessage = "must be at least 32 characters (openssl rand -base64 32), or empty.")]
    public string? ScrapeToken { get; set; }
}
