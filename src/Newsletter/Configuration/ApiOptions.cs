using System.ComponentModel.DataAnnotations;

namespace Newsletter.Configuration;

/// <summary>The <c>Newsletter:Api</c> section: limits of the JSON API under <c>/api/v1</c>.</summary>
public sealed class ApiOptions
{
    public const string Section = "Newsletter:Api";

    /// <summary>Requests one key may make in a minute; over it, a 429 with <c>Retry-After</c>.</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerMinute { get; set; } = 600;
}
